using QRCoder;

namespace CommunityFunnel.Web.Groups;

/// <summary>A group's join link as a QR code people scan to join: PNG for chats and print shops, SVG for any size.</summary>
internal static class JoinQrCode
{
    public const string Png = "png";
    public const string Svg = "svg";

    /// <summary>Pixels per module: a join link's code (29 modules and the quiet zone) comes out near 400 px.</summary>
    private const int PngModulePixels = 12;

    public static bool IsFormat(string format) => format is Png or Svg;

    public static string ContentType(string format) => format == Svg ? "image/svg+xml" : "image/png";

    public static byte[] Render(string joinUrl, string format) =>
        format == Svg ? System.Text.Encoding.UTF8.GetBytes(SvgMarkup(joinUrl)) : PngBytes(joinUrl);

    /// <summary>Scales to its container (a view box, no fixed size), for showing on a page.</summary>
    public static string SvgMarkup(string joinUrl)
    {
        using var data = Encode(joinUrl);
        return new SvgQRCode(data).GetGraphic(PngModulePixels, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    private static byte[] PngBytes(string joinUrl)
    {
        using var data = Encode(joinUrl);
        return new PngByteQRCode(data).GetGraphic(PngModulePixels);
    }

    // Medium error correction: still reads from a crumpled print-out or a screenshot of a screenshot.
    private static QRCodeData Encode(string joinUrl)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(joinUrl, QRCodeGenerator.ECCLevel.M);
    }
}
