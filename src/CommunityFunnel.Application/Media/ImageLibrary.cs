using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Media;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Media;

public sealed record ServedImage(string Token, string ContentType, byte[] Content, DateTimeOffset CreatedAt);

/// <summary>The read side of stored pictures: what the public address serves.</summary>
public sealed class ImageLibrary(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    /// <summary>The picture served under <paramref name="fileName"/> (token and extension), or null; a wrong extension finds nothing.</summary>
    public async Task<ServedImage?> FindAsync(string fileName, CancellationToken ct)
    {
        var token = Path.GetFileNameWithoutExtension(fileName);
        if (token.Length == 0 || token.Length > 64)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var image = await db.Images.AsNoTracking().Where(i => i.Token == token)
            .Select(i => new ServedImage(i.Token, i.ContentType, i.Content, i.CreatedAt))
            .SingleOrDefaultAsync(ct);
        return image is not null && StoredImage.FileName(image.Token, image.ContentType) == fileName ? image : null;
    }
}
