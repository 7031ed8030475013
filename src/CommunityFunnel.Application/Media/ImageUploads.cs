using CommunityFunnel.Application.Common;

namespace CommunityFunnel.Application.Media;

/// <summary>Reads an upload without ever holding more than the limit allows, whatever size the client announced.</summary>
public static class ImageUploads
{
    /// <summary>The upload read within the limit and processed (<see cref="ImageProcessor.Process"/>), or why not.</summary>
    public static async Task<Result<ProcessedImage>> ProcessAsync(Stream upload, string field, CancellationToken ct)
    {
        var bytes = await ReadAsync(upload, field, ct);
        return bytes.Value is { } read ? ImageProcessor.Process(read, field) : bytes.Failure!;
    }

    /// <summary>The upload's bytes, or image_too_large as soon as it passes <see cref="ImageProcessor.MaxBytes"/>.</summary>
    private static async Task<Result<byte[]>> ReadAsync(Stream upload, string field, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await upload.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > ImageProcessor.MaxBytes)
            {
                return ImageProcessor.TooLarge(field);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
