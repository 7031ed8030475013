using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Pricing;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Pricing;

/// <summary>Products (admins) and the per-group assortment (admins and the group's operators).</summary>
public sealed class ProductService(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<ProductRow>> ListAsync(bool includeInactive, string? currency, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var products = db.Products.AsNoTracking();
        if (!includeInactive)
        {
            products = products.Where(p => p.IsActive);
        }

        if (!string.IsNullOrEmpty(currency))
        {
            products = products.Where(p => p.Currency == currency);
        }

        return await WithPicturesAsync(db, await Rows(db, products.OrderBy(p => p.Currency).ThenBy(p => p.Tier).ThenBy(p => p.Price)).ToListAsync(ct), ct);
    }

    /// <summary>The catalogue in id order (creation order to the millisecond), a page at a time (for integrations); merchant-wide, like <see cref="ListAsync"/>.</summary>
    public async Task<Result<CursorPage<ProductRow>>> ListPageAsync(bool includeInactive, string? currency, string? cursor, int? limit, CancellationToken ct)
    {
        var request = Cursor.ReadIdPage("products", cursor, limit);
        if (request.Failure is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var products = db.Products.AsNoTracking().Where(p => (includeInactive || p.IsActive) && (currency == null || p.Currency == currency));
        if (request.Value.After is { } after)
        {
            products = products.Where(p => p.Id.CompareTo(after) > 0);
        }

        var rows = await WithPicturesAsync(db, await Rows(db, products.OrderBy(p => p.Id).Take(request.Value.Limit + 1)).ToListAsync(ct), ct);
        return Cursor.PageById("products", rows, request.Value.Limit, r => r.Id);
    }

    private static IQueryable<ProductRow> Rows(CommunityFunnelDbContext db, IQueryable<Product> ordered) =>
        ordered.Select(p => new ProductRow(p.Id, p.Name, p.Description, p.Tier, p.Price, p.Currency, p.Kind, p.IsActive,
            db.GroupProducts.Count(gp => gp.ProductId == p.Id)));

    public async Task<Result<ProductRow>> GetAsync(Guid productId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Products.AsNoTracking().Where(p => p.Id == productId)
            .Select(p => new ProductRow(p.Id, p.Name, p.Description, p.Tier, p.Price, p.Currency, p.Kind, p.IsActive,
                db.GroupProducts.Count(gp => gp.ProductId == p.Id)))
            .SingleOrDefaultAsync(ct);
        return row is null ? Failure.NotFound("The product") : (await WithPicturesAsync(db, [row], ct))[0];
    }

    private static async Task<List<ProductRow>> WithPicturesAsync(CommunityFunnelDbContext db, List<ProductRow> rows, CancellationToken ct)
    {
        var pictures = await ProductPictures.ForProductsAsync(db, [.. rows.Select(r => r.Id)], ct);
        return [.. rows.Select(r => pictures.TryGetValue(r.Id, out var found) ? r with { Pictures = found } : r)];
    }

    public async Task<Result<Guid>> CreateAsync(Actor actor, ProductInput input, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("products");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var spec = await ValidateAsync(db, input, ct);
        if (spec.Value is not { } valid)
        {
            return spec.Failure!;
        }

        var now = clock.GetUtcNow();
        var product = new Product(valid, now);
        db.Products.Add(product);
        db.Audit(now, AuditCategory.Pricing, actor, "product.created", product.Name, $"{valid.Tier} {valid.Kind} at {valid.Price:0.##} {valid.Currency}");
        await db.SaveChangesAsync(ct);
        return product.Id;
    }

    public async Task<Result<Guid>> UpdateAsync(Actor actor, Guid productId, ProductInput input, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("products");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var product = await db.Products.SingleOrDefaultAsync(p => p.Id == productId, ct);
        if (product is null)
        {
            return Failure.NotFound("The product");
        }

        var spec = await ValidateAsync(db, input, ct);
        if (spec.Value is not { } valid)
        {
            return spec.Failure!;
        }

        var before = $"{product.Tier} {product.Kind} at {product.Price:0.##} {product.Currency}";
        product.Apply(valid);
        db.Audit(clock.GetUtcNow(), AuditCategory.Pricing, actor, "product.updated", product.Name,
            $"{before} -> {valid.Tier} {valid.Kind} at {valid.Price:0.##} {valid.Currency}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("concurrent_change", "Someone else changed this product meanwhile; reload and try again.");
        }

        return product.Id;
    }

    public async Task<Result<Guid>> SetActiveAsync(Actor actor, Guid productId, bool active, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("products");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var product = await db.Products.SingleOrDefaultAsync(p => p.Id == productId, ct);
        if (product is null)
        {
            return Failure.NotFound("The product");
        }

        product.SetActive(active);
        db.Audit(clock.GetUtcNow(), AuditCategory.Pricing, actor, active ? "product.activated" : "product.deactivated", product.Name, "");
        await db.SaveChangesAsync(ct);
        return product.Id;
    }

    public async Task<Result<IReadOnlyList<Guid>>> GetAssortmentAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        return await db.GroupProducts.Where(gp => gp.GroupId == groupId).Select(gp => gp.ProductId).ToListAsync(ct);
    }

    /// <summary>Offers (or withdraws) a product in a group. Offering twice is harmless.</summary>
    public async Task<Result<bool>> SetOfferedAsync(Actor actor, Guid groupId, Guid productId, bool offered, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == productId, ct);
        if (product is null)
        {
            return Failure.NotFound("The product");
        }

        var existing = await db.GroupProducts.SingleOrDefaultAsync(gp => gp.GroupId == groupId && gp.ProductId == productId, ct);
        if (offered && existing is null)
        {
            if (product.Currency != group.Currency)
            {
                return Failure.Invalid("currency_mismatch",
                    $"{product.Name} is priced in {product.Currency} but {group.Name} trades in {group.Currency}.", "productId");
            }

            db.GroupProducts.Add(new GroupProduct(groupId, productId));
        }
        else if (!offered && existing is not null)
        {
            db.GroupProducts.Remove(existing);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Offered concurrently by someone else: the outcome the caller wanted already holds.
        }

        return offered;
    }

    private static async Task<Result<ProductSpec>> ValidateAsync(CommunityFunnelDbContext db, ProductInput input, CancellationToken ct)
    {
        var ladders = await db.PriceBands.AsNoTracking().ToListAsync(ct);
        var (spec, errors) = ProductSpec.Validate(input.Name, input.Description, input.Tier, input.Price, input.Currency, input.Kind,
            currency => ladders.Any(b => b.Currency == currency)
                ? Domain.Pricing.TierLadder.Create(currency, ladders.Where(b => b.Currency == currency)).Ladder
                : null);
        return errors.Count > 0 ? Failure.Invalid(errors) : spec;
    }
}
