using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Pricing;

/// <summary>
/// What a member page shows of a product: its name, its usual price, its description (several lines) and its
/// pictures' addresses (root-relative, <c>/media/…</c>), the cover first.
/// </summary>
public sealed record ProductShowcaseView(Guid ProductId, string Name, decimal Price, string Currency, string Description, IReadOnlyList<string> PictureUrls)
{
    public string? CoverUrl => PictureUrls.Count > 0 ? PictureUrls[0] : null;
}

/// <summary>The read side for offer pages: public, like the offers themselves, so it takes no actor.</summary>
public sealed class ProductShowcase(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    /// <summary>The product as members see it, or null when there is no such product.</summary>
    public async Task<ProductShowcaseView?> ForProductAsync(Guid productId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var product = await db.Products.AsNoTracking().Where(p => p.Id == productId).Select(p => new { p.Name, p.Price, p.Currency, p.Description }).SingleOrDefaultAsync(ct);
        if (product is null)
        {
            return null;
        }

        var pictures = (await ProductPictures.ForProductsAsync(db, [productId], ct)).GetValueOrDefault(productId) ?? [];
        return new ProductShowcaseView(productId, product.Name, product.Price, product.Currency, product.Description, [.. pictures.Select(p => p.Url)]);
    }
}
