namespace CommunityFunnel.Domain.Media;

/// <summary>
/// An uploaded picture after it was checked, resized and re-encoded (so it carries no metadata): what is served, unchanged
/// for ever, at the public address its <see cref="Token"/> makes. Kept in the database, as every app instance serves it.
/// </summary>
public sealed class StoredImage
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";

    private StoredImage()
    {
    }

    public StoredImage(string token, string contentType, int width, int height, byte[] content, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        if (contentType is not (Jpeg or Png))
        {
            throw new ArgumentOutOfRangeException(nameof(contentType), contentType, "Stored pictures are JPEG or PNG.");
        }

        Id = Guid.CreateVersion7(createdAt);
        Token = token;
        ContentType = contentType;
        Width = width;
        Height = height;
        Content = content;
        Length = content.Length;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The unguessable part of the public address: 128 random bits, URL-safe.</summary>
    public string Token { get; private set; } = "";

    public string ContentType { get; private set; } = "";
    public int Width { get; private set; }
    public int Height { get; private set; }
    public int Length { get; private set; }
    public byte[] Content { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The file name it is served under: the token and the extension of its format.</summary>
    public static string FileName(string token, string contentType) => token + (contentType == Png ? ".png" : ".jpg");
}
