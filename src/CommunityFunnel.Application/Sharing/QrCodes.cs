using System.Collections;
using QRCoder;

namespace CommunityFunnel.Application.Sharing;

/// <summary>
/// Links as QR codes people scan: join and share links (PNG for chats and print shops, SVG for any size), the modules a
/// poster draws, and the authenticator setup. One encoder, so every code of the app reads the same way.
/// </summary>
public static class QrCodes
{
    /// <summary>Pixels per module: a join link's code (29 modules and the quiet zone) comes out near 400 px.</summary>
    private const int PngModulePixels = 12;

    public static byte[] Png(string text)
    {
        using var data = Encode(text);
        return new PngByteQRCode(data).GetGraphic(PngModulePixels);
    }

    /// <summary>Scales to its container (a view box, no fixed size), for showing on a page.</summary>
    public static string Svg(string text)
    {
        using var data = Encode(text);
        return new SvgQRCode(data).GetGraphic(PngModulePixels, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    /// <summary>The dark (true) and light modules row by row, the quiet zone included, for drawing the code into a larger picture.</summary>
    public static IReadOnlyList<BitArray> Modules(string text)
    {
        using var data = Encode(text);
        return [.. data.ModuleMatrix.Select(row => new BitArray(row))];
    }

    // Medium error correction: still reads from a crumpled print-out or a screenshot of a screenshot.
    private static QRCodeData Encode(string text)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
    }
}
