using CommunityFunnel.Domain.Sales;

namespace CommunityFunnel.Web.Components.Pages.Sales;

/// <summary>The fields a sale form shows its errors at; anything else goes above the form.</summary>
public static class SaleFields
{
    public static readonly IReadOnlyList<string> Announce = ["announce.teaserMinutesBefore", "announce.lowStockAt"];

    public static readonly IReadOnlyList<string> FlashSale =
        ["productId", "price", "stock", "perMemberLimit", "startsAt", "endsAt", "paymentMinutes", .. Announce];

    public static readonly IReadOnlyList<string> GroupBuy =
        ["productId", "tiers", .. Enumerable.Range(0, GroupBuyTerms.MaxTiers).Select(i => $"tiers[{i}]"), "minParticipants", "opensAt", "closesAt", .. Announce];
}
