using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Application.Sharing;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Promotions;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.Domain.Referrals;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Referrals;

/// <summary>
/// A paid order of a member someone referred, with the two referrers above them (the second is null when the
/// referrer joined on their own), the referrer's stage as last committed (read without a lock) and, when that read saw
/// them a partner under the referred-payers rule, as held under a shared lock; whether an operator rejected the
/// referral (its orders earn no rebates), whether the buyer got a promotion-day gift pack for it, and the terms in
/// force: the rebate terms of the order's currency (null without a plan) and the sharing rule.
/// </summary>
public sealed record ReferredOrderPaid(
    OrderPaid Paid,
    Guid ReferrerId,
    Guid? SecondLevelReferrerId,
    FunnelStage ReferrerStage,
    FunnelStage? ReferrerHeldStage,
    bool ReferralRejected,
    bool HasNewcomerGift,
    RebateTerms? RebateTerms,
    SharingRule SharingRule) : IDomainEvent
{
    public DateTimeOffset OccurredAt => Paid.OccurredAt;
}

/// <summary>
/// Reads who referred the buyer once per payment, in one query, for every reaction to referred members' payments
/// (rebates, the sharing rule, gift packs); a payment of a member nobody referred costs that one query and no more.
/// The one query answers more than its own folder needs (the referrer's stage and its lock, a gift pack, the plan with
/// the promotion day, the sharing rule) because a payment is the hottest path there is: each question folded in is a
/// round trip fewer for every referred payment (bench/ measured four where one does).
/// </summary>
internal sealed class AnnounceReferredOrderPaid : IHandles<OrderPaid>
{
    // Compiled: EF would otherwise walk and hash this large expression on every payment, costing more than the round
    // trips it saves. A join, not a First() in the projection: EF turns that into a window over every member. Tracked
    // (no AsNoTracking): the rule stays in the identity map for the handlers of the rebates credited next.
    private static readonly Func<CommunityFunnelDbContext, Guid, string, Guid, Guid, CancellationToken, Task<Referral?>> ReadReferral =
        EF.CompileAsyncQuery((CommunityFunnelDbContext db, Guid buyerId, string currency, Guid productId, Guid groupId, CancellationToken ct) => (
                from buyer in db.Members
                where buyer.Id == buyerId
                join referrer in db.Members on buyer.ReferrerId equals referrer.Id
                select new Referral(
                    referrer.Id,
                    referrer.ReferrerId,
                    referrer.Stage,
                    referrer.Stage == FunnelStage.Sharing
                        && db.SharingRules.Any(r => r.Id == SharingRule.SingletonId && r.Mode == SharingEntryMode.ReferredPayers)
                        ? SharingStage.HeldStage(referrer.Id)
                        : null,
                    db.Referrals.Any(r => r.MemberId == buyer.Id && r.Status == ReferralStatus.Rejected),
                    db.Orders.Any(o => o.MemberId == buyer.Id && o.Status == OrderStatus.Gifted && o.GiftForReferralId != null),
                    db.CommissionPlans.FirstOrDefault(p => p.Currency == currency),
                    db.Products.Where(product => product.Id == productId).Select(product => product.Kind).First(),
                    db.PromotionDays.FirstOrDefault(d => d.GroupId == groupId),
                    db.Groups.Where(g => g.Id == groupId).Select(g => g.TimeZoneId).First(),
                    db.SharingRules.FirstOrDefault(r => r.Id == SharingRule.SingletonId)))
            .SingleOrDefault());

    public async Task HandleAsync(CommunityFunnelDbContext db, OrderPaid paid, CancellationToken ct)
    {
        if (await ReadReferral(db, paid.MemberId, paid.Currency, paid.ProductId, paid.GroupId, ct) is { } referral)
        {
            db.Raise(new ReferredOrderPaid(
                paid,
                referral.ReferrerId,
                referral.SecondLevelReferrerId,
                referral.ReferrerStage,
                referral.ReferrerHeldStage is { } held ? Enum.Parse<FunnelStage>(held) : null,
                referral.Rejected,
                referral.HasNewcomerGift,
                referral.Plan is null ? null : new RebateTerms(referral.Plan, referral.ProductKind, referral.PromotionDay, referral.TimeZoneId),
                referral.Rule ?? SharingRule.Default));
        }
    }

    /// <summary>The referrer's stage as held under a shared lock comes as the database's text: only a CASE may call the lock.</summary>
    private sealed record Referral(
        Guid ReferrerId,
        Guid? SecondLevelReferrerId,
        FunnelStage ReferrerStage,
        string? ReferrerHeldStage,
        bool Rejected,
        bool HasNewcomerGift,
        CommissionPlan? Plan,
        ProductKind ProductKind,
        PromotionDay? PromotionDay,
        string TimeZoneId,
        SharingRule? Rule);
}
