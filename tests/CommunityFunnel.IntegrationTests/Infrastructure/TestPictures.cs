using System.Buffers.Binary;
using System.Net.Http.Headers;
using SkiaSharp;

namespace CommunityFunnel.IntegrationTests.Infrastructure;

/// <summary>Pictures for upload tests, drawn by Skia, and a JPEG carrying real EXIF (orientation and a GPS position).</summary>
public static class TestPictures
{
    /// <summary>The GPS latitude written into <see cref="JpegWithExif"/>: 52° 31' 12.34" N, as EXIF rationals.</summary>
    private static readonly uint[] Latitude = [52, 1, 31, 1, 1234, 100];

    public static byte[] Jpeg(int width, int height) => Draw(width, height, SKEncodedImageFormat.Jpeg);

    public static byte[] Png(int width, int height) => Draw(width, height, SKEncodedImageFormat.Png);

    public static byte[] Webp(int width, int height) => Draw(width, height, SKEncodedImageFormat.Webp);

    /// <summary>A JPEG whose APP1 segment says "rotate 90° clockwise to view" (orientation 6) and where it was taken.</summary>
    public static byte[] JpegWithExif(int width, int height)
    {
        var jpeg = Jpeg(width, height);
        var exif = ExifSegment(orientation: 6);
        return [.. jpeg[..2], .. exif, .. jpeg[2..]]; // right after SOI
    }

    public static (int Width, int Height, SKEncodedImageFormat Format) Inspect(byte[] picture)
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(picture)) ?? throw new InvalidOperationException("Not a picture.");
        return (codec.Info.Width, codec.Info.Height, codec.EncodedFormat);
    }

    /// <summary>Whether the bytes carry an EXIF block or the GPS latitude written above anywhere.</summary>
    public static bool HasExifOrGps(byte[] picture)
    {
        var text = System.Text.Encoding.Latin1.GetString(picture);
        return text.Contains("Exif\0\0", StringComparison.Ordinal) || IndexOf(picture, Rationals(Latitude)) >= 0;
    }

    /// <summary>A multipart form with one file field named "file", as a browser or curl sends it.</summary>
    public static MultipartFormDataContent Form(byte[] content, string fileName, string contentType)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private static byte[] Draw(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SeaGreen);
            using var paint = new SKPaint { Color = SKColors.Gold };
            canvas.DrawRect(0, 0, width / 2f, height / 2f, paint); // a marked corner shows which way up the picture is
        }

        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>APP1 "Exif": a little-endian TIFF with IFD0 (Orientation, GPS IFD pointer) and a GPS IFD (latitude ref and latitude).</summary>
    private static byte[] ExifSegment(ushort orientation)
    {
        var tiff = new byte[92];
        "II"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 2);
        Entry(tiff, 10, tag: 0x0112, type: 3, count: 1, value: orientation);
        Entry(tiff, 22, tag: 0x8825, type: 4, count: 1, value: 38);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(38), 2);
        Entry(tiff, 40, tag: 0x0001, type: 2, count: 2, value: 'N');
        Entry(tiff, 52, tag: 0x0002, type: 5, count: 3, value: 68);
        Rationals(Latitude).CopyTo(tiff, 68);

        var segment = new byte[4 + 6 + tiff.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + 6 + tiff.Length));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment, 10);
        return segment;
    }

    private static void Entry(byte[] tiff, int at, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), tag);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at + 2), type);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 4), count);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 8), value);
    }

    private static byte[] Rationals(uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
