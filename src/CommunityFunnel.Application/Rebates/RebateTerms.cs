using CommunityFunnel.Application.Promotions;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Promotions;
using CommunityFunnel.Domain.Rebates;

namespace CommunityFunnel.Application.Rebates;

/// <summary>
/// What a paid order's rebates depend on, as in force when it was paid: the plan of its currency, the kind of product
/// it bought and the group's promotion day in the group's time zone.
/// </summary>
public sealed record RebateTerms(CommissionPlan Plan, ProductKind ProductKind, PromotionDay? PromotionDay, string TimeZoneId)
{
    public bool Earn(OrderPaid paid) =>
        (Plan.MinOrderAmount is not { } minimum || paid.Amount >= minimum)
        && (paid.FlashSaleId is null || Plan.IncludeFlashSales)
        && (Plan.IncludeTraffic || ProductKind != ProductKind.Traffic);

    public decimal MultiplierAt(DateTimeOffset at) => PromotionDayRewards.RebateMultiplier(PromotionDay, TimeZoneId, at);
}
