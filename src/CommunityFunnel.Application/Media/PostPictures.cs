using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Media;

/// <summary>A stored picture ready to attach: its id, address (root-relative) and size.</summary>
public sealed record UploadedPicture(Guid Id, string Url, int Width, int Height);

/// <summary>Pictures uploaded to go with a post (the new-post page, the API): stored through the one pipeline, attached by their address.</summary>
public sealed class PostPictures(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public const string Field = "image";

    public async Task<Result<UploadedPicture>> UploadAsync(Actor actor, Stream upload, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor); // any staff member may post, so any may upload what a post shows
        var processed = await ImageUploads.ProcessAsync(upload, Field, ct);
        if (processed.Value is not { } image)
        {
            return processed.Failure!;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = ImageStore.Add(db, image, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return new UploadedPicture(stored.Id, ImageLinks.PathFor(stored.Token, stored.ContentType), stored.Width, stored.Height);
    }
}
