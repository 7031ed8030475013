using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Media;
using CommunityFunnel.Domain.Pricing;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Pricing;

/// <summary>A product's picture: where it is served (root-relative), its size and its place (0 is the cover).</summary>
public sealed record ProductPictureView(Guid Id, string Url, int Width, int Height, int Position);

/// <summary>A product's pictures, managed by admins like the rest of the catalogue: added, removed and put in order.</summary>
public sealed class ProductPictures(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public const string Field = "picture";

    public async Task<Result<IReadOnlyList<ProductPictureView>>> ListAsync(Guid productId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Products.AnyAsync(p => p.Id == productId, ct))
        {
            return Failure.NotFound("The product");
        }

        return await PicturesOfAsync(db, productId, ct);
    }

    /// <summary>Checks and stores the upload and adds it after the product's other pictures. Nothing is stored when it fails.</summary>
    public async Task<Result<ProductPictureView>> AddAsync(Actor actor, Guid productId, Stream upload, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("products");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Products.AnyAsync(p => p.Id == productId, ct))
        {
            return Failure.NotFound("The product");
        }

        var processed = await ImageUploads.ProcessAsync(upload, Field, ct);
        if (processed.Value is not { } image)
        {
            return processed.Failure!;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Two uploads at once must not both take the last free place.
        var product = await LockProductAsync(db, productId, ct) ?? "";
        var count = await db.ProductPictures.CountAsync(p => p.ProductId == productId, ct);
        if (count >= Product.MaxPictures)
        {
            return Failure.Conflict("too_many_pictures", $"A product has at most {Product.MaxPictures} pictures; remove one first.", Field);
        }

        var now = clock.GetUtcNow();
        var stored = ImageStore.Add(db, image, now);
        var picture = new ProductPicture(productId, stored.Id, count, now);
        db.ProductPictures.Add(picture);
        db.Audit(now, AuditCategory.Pricing, actor, "product.picture_added", product, $"{image.Width}x{image.Height} {image.ContentType}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ProductPictureView(picture.Id, ImageLinks.PathFor(stored.Token, stored.ContentType), stored.Width, stored.Height, picture.Position);
    }

    public async Task<Result<IReadOnlyList<ProductPictureView>>> RemoveAsync(Actor actor, Guid productId, Guid pictureId, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("products");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var product = await LockProductAsync(db, productId, ct);
        var pictures = product is null ? [] : await db.ProductPictures.Where(p => p.ProductId == productId).OrderBy(p => p.Position).ToListAsync(ct);
        var removed = pictures.SingleOrDefault(p => p.Id == pictureId);
        if (product is null || removed is null)
        {
            return Failure.NotFound(product is null ? "The product" : "The picture");
        }

        db.ProductPictures.Remove(removed);
        pictures.Remove(removed);
        Renumber(pictures);
        db.Audit(clock.GetUtcNow(), AuditCategory.Pricing, actor, "product.picture_removed", product, "");
        await db.SaveChangesAsync(ct);
        await ImageStore.DeleteIfUnusedAsync(db, removed.ImageId, ct);
        await tx.CommitAsync(ct);
        return await PicturesOfAsync(db, productId, ct);
    }

    /// <summary>Puts the pictures in the order given (every one of the product's pictures, once); the first becomes the cover.</summary>
    public async Task<Result<IReadOnlyList<ProductPictureView>>> ReorderAsync(Actor actor, Guid productId, IReadOnlyList<Guid>? pictureIds, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("products");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var product = await LockProductAsync(db, productId, ct);
        if (product is null)
        {
            return Failure.NotFound("The product");
        }

        var pictures = await db.ProductPictures.Where(p => p.ProductId == productId).ToDictionaryAsync(p => p.Id, ct);
        var order = pictureIds ?? [];
        if (order.Count != pictures.Count || order.Distinct().Count() != order.Count || !order.All(pictures.ContainsKey))
        {
            return Failure.Invalid("invalid_picture_order", "List each of the product's pictures exactly once, the cover first.", "pictureIds");
        }

        Renumber([.. order.Select(id => pictures[id])]);
        db.Audit(clock.GetUtcNow(), AuditCategory.Pricing, actor, "product.pictures_reordered", product, "");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await PicturesOfAsync(db, productId, ct);
    }

    /// <summary>The pictures of each product, cover first; products without pictures are absent.</summary>
    internal static async Task<Dictionary<Guid, IReadOnlyList<ProductPictureView>>> ForProductsAsync(
        CommunityFunnelDbContext db, IReadOnlyCollection<Guid> productIds, CancellationToken ct)
    {
        var rows = await (
                from p in db.ProductPictures
                join i in db.Images on p.ImageId equals i.Id
                where productIds.Contains(p.ProductId)
                orderby p.Position
                select new { p.ProductId, p.Id, i.Token, i.ContentType, i.Width, i.Height, p.Position })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.ProductId).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<ProductPictureView>)g.Select(r => new ProductPictureView(r.Id, ImageLinks.PathFor(r.Token, r.ContentType), r.Width, r.Height, r.Position)).ToList());
    }

    private static async Task<List<ProductPictureView>> PicturesOfAsync(CommunityFunnelDbContext db, Guid productId, CancellationToken ct) =>
        [.. (await ForProductsAsync(db, [productId], ct)).GetValueOrDefault(productId) ?? []];

    /// <summary>Locks the product's row for this transaction (two changes at once must not both take the last place); its name, or null.</summary>
    private static Task<string?> LockProductAsync(CommunityFunnelDbContext db, Guid productId, CancellationToken ct) =>
        db.Database.SqlQuery<string?>($"SELECT name AS \"Value\" FROM funnel.products WHERE id = {productId} FOR UPDATE").SingleOrDefaultAsync(ct);

    private static void Renumber(List<ProductPicture> ordered)
    {
        for (var i = 0; i < ordered.Count; i++)
        {
            ordered[i].MoveTo(i);
        }
    }
}
