using System.Security.Cryptography;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Media;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Media;

/// <summary>Adds and removes stored pictures inside the caller's unit of work.</summary>
internal static class ImageStore
{
    public static StoredImage Add(CommunityFunnelDbContext db, ProcessedImage image, DateTimeOffset now)
    {
        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var stored = new StoredImage(token, image.ContentType, image.Width, image.Height, image.Content, now);
        db.Images.Add(stored);
        return stored;
    }

    /// <summary>
    /// Deletes a picture nothing shows any more. One a post still carries stays: a scheduled post must not send a dead link,
    /// and a sent one keeps its picture in the chat's history.
    /// </summary>
    public static async Task DeleteIfUnusedAsync(CommunityFunnelDbContext db, Guid imageId, CancellationToken ct)
    {
        var used = await db.ProductPictures.AnyAsync(p => p.ImageId == imageId, ct)
            || await db.Groups.AnyAsync(g => g.PaymentQrImageId == imageId, ct)
            || await db.Posts.AnyAsync(p => p.ImageId == imageId, ct);
        if (!used)
        {
            await db.Images.Where(i => i.Id == imageId).ExecuteDeleteAsync(ct);
        }
    }
}
