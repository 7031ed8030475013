using StbImageSharp;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace CommunityFunnel.IntegrationTests.Infrastructure;

/// <summary>Reads a QR code the way a phone does: from a PNG's pixels, alone in the picture or somewhere on a poster.</summary>
public static class QrImages
{
    public static string Decode(byte[] png)
    {
        var (pixels, _, _) = Pixels(png);
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true };
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(pixels)), hints);
        Assert.NotNull(result);
        return result.Text;
    }

    /// <summary>The picture's size, read from its pixels rather than trusted from a header.</summary>
    public static (int Width, int Height) Size(byte[] png)
    {
        var (_, width, height) = Pixels(png);
        return (width, height);
    }

    private static (RGBLuminanceSource Pixels, int Width, int Height) Pixels(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
        return (new RGBLuminanceSource(image.Data, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.RGB24), image.Width, image.Height);
    }
}
