using CommunityFunnel.Application.Common;
using CommunityFunnel.Domain.Media;
using SkiaSharp;

namespace CommunityFunnel.Application.Media;

/// <summary>
/// The one way an upload becomes a stored picture. The bytes are decoded by Skia (what the name or Content-Type claims
/// is never trusted), turned upright by their EXIF orientation, shrunk to a sensible size and encoded afresh, so nothing
/// of the original file, its metadata (camera, GPS position) included, survives. PNG stays PNG (logos, QR codes keep
/// their sharp edges and transparency); JPEG and WebP become JPEG, which every chat platform shows.
/// </summary>
public static class ImageProcessor
{
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>Sharp on any phone and on a desktop member page, and far below what chat platforms accept.</summary>
    public const int MaxSide = 1600;

    /// <summary>A small file can decode to gigabytes (a "pixel flood"); 50 megapixels is more than any phone camera takes.</summary>
    public const long MaxPixels = 50_000_000;

    private const int JpegQuality = 85;

    public static Failure TooLarge(string field) =>
        Failure.Invalid("image_too_large", $"The picture is larger than {MaxBytes / (1024 * 1024)} MB; choose a smaller one.", field);

    public static Failure NotAnImage(string field) =>
        Failure.Invalid("image_invalid", "The file is not a picture this app takes: choose a JPEG, PNG or WebP image.", field);

    public static Result<ProcessedImage> Process(byte[] upload, string field)
    {
        if (upload.Length > MaxBytes)
        {
            return TooLarge(field);
        }

        using var data = SKData.CreateCopy(upload);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp))
        {
            return NotAnImage(field);
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
        {
            return NotAnImage(field);
        }

        if ((long)width * height > MaxPixels)
        {
            return Failure.Invalid("image_too_large", $"The picture has more than {MaxPixels / 1_000_000} megapixels; choose a smaller one.", field);
        }

        using var decoded = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            return NotAnImage(field);
        }

        var png = codec.EncodedFormat == SKEncodedImageFormat.Png;
        return Redraw(decoded, codec.EncodedOrigin, png);
    }

    private static ProcessedImage Redraw(SKBitmap source, SKEncodedOrigin origin, bool png)
    {
        var turned = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (uprightWidth, uprightHeight) = turned ? (source.Height, source.Width) : (source.Width, source.Height);
        var scale = Math.Min(1f, (float)MaxSide / Math.Max(uprightWidth, uprightHeight));
        var width = Math.Max(1, (int)Math.Round(uprightWidth * scale));
        var height = Math.Max(1, (int)Math.Round(uprightHeight * scale));

        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, png ? SKAlphaType.Premul : SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(png ? SKColors.Transparent : SKColors.White); // JPEG has no transparency: see-through parts turn white, not black
            canvas.SetMatrix(SKMatrix.CreateScale(scale, scale).PreConcat(Orientation(origin, uprightWidth, uprightHeight)));
            using var image = SKImage.FromBitmap(source);
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKCubicResampler.Mitchell));
        }

        using var encoded = target.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, png ? 100 : JpegQuality);
        return new ProcessedImage(png ? StoredImage.Png : StoredImage.Jpeg, width, height, encoded.ToArray());
    }

    /// <summary>Maps the stored pixels onto the upright picture (EXIF orientations 1 to 8), whose size is given.</summary>
    private static SKMatrix Orientation(SKEncodedOrigin origin, float width, float height) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, width, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, width, -1, 0, height, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, height, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
