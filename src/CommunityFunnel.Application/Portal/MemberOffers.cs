using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Application.Sales;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Portal;

/// <summary>
/// Sale pages as anyone holding the link sees them. The link is posted in the group and tapped on any device, often
/// without a session, so the offer itself (group, product, price, stock, times) is public; what a member holds or may
/// buy is read separately, for their own session only (<see cref="MemberPortal"/>).
/// </summary>
public sealed class MemberOffers(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory, FlashSaleService flashSales, GroupBuyService groupBuys, ProductShowcase showcase)
{
    public async Task<FlashSaleOffer?> FlashSaleAsync(Guid saleId, CancellationToken ct)
    {
        var sale = (await flashSales.GetAsync(Actor.System, saleId, ct)).Value;
        return sale is null ? null : await OfferedAsync(sale.GroupId, sale.ProductId, (group, product) => new FlashSaleOffer(sale, product, group), ct);
    }

    public async Task<GroupBuyOffer?> GroupBuyAsync(Guid groupBuyId, CancellationToken ct)
    {
        var groupBuy = await groupBuys.FindAsync(groupBuyId, ct);
        return groupBuy is null ? null : await OfferedAsync(groupBuy.GroupId, groupBuy.ProductId, (group, product) => new GroupBuyOffer(groupBuy, product, group), ct);
    }

    /// <summary>The offer with its group and product, or null when the group is archived (its links stop working).</summary>
    private async Task<T?> OfferedAsync<T>(Guid groupId, Guid productId, Func<OfferGroup, OfferProduct, T> offer, CancellationToken ct)
        where T : class
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var group = await db.Groups.AsNoTracking().Where(g => g.Id == groupId && !g.IsArchived)
            .Select(g => new OfferGroup(g.Id, g.JoinCode, g.Language, g.Country))
            .SingleOrDefaultAsync(ct);
        if (group is null || await showcase.ForProductAsync(productId, ct) is not { } shown)
        {
            return null;
        }

        return offer(group, new OfferProduct(shown.Price, shown.Currency, shown.Description, shown.PictureUrls));
    }
}
