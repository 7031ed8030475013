using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Referrals;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Referrals;

/// <summary>
/// A paid order of a member someone referred, with the two referrers above them (the second is null when the
/// referrer joined on their own), the referrer's stage as last committed (read without a lock), whether an operator
/// rejected the referral (its orders earn no rebates) and whether the buyer got a promotion-day gift pack for it.
/// </summary>
public sealed record ReferredOrderPaid(
    OrderPaid Paid, Guid ReferrerId, Guid? SecondLevelReferrerId, FunnelStage ReferrerStage, bool ReferralRejected, bool HasNewcomerGift) : IDomainEvent
{
    public DateTimeOffset OccurredAt => Paid.OccurredAt;
}

/// <summary>
/// Reads who referred the buyer once per payment, in one query, for every reaction to referred members' payments
/// (rebates, the sharing rule, gift packs); a payment of a member nobody referred costs that one query and no more.
/// The one query answers more than its own folder needs (the referrer's stage, a gift pack) because a payment is the
/// hottest path there is: each question folded in here is a round trip fewer for every referred payment.
/// </summary>
internal sealed class AnnounceReferredOrderPaid : IHandles<OrderPaid>
{
    public async Task HandleAsync(CommunityFunnelDbContext db, OrderPaid domainEvent, CancellationToken ct)
    {
        var referral = await db.Members.AsNoTracking()
            .Where(m => m.Id == domainEvent.MemberId && m.ReferrerId != null)
            .Select(m => new
            {
                ReferrerId = m.ReferrerId!.Value,
                Referrer = db.Members.Where(r => r.Id == m.ReferrerId).Select(r => new { r.ReferrerId, r.Stage }).First(),
                Rejected = db.Referrals.Any(r => r.MemberId == m.Id && r.Status == ReferralStatus.Rejected),
                HasNewcomerGift = db.Orders.Any(o => o.MemberId == m.Id && o.Status == OrderStatus.Gifted && o.GiftForReferralId != null),
            })
            .SingleOrDefaultAsync(ct);
        if (referral is not null)
        {
            db.Raise(new ReferredOrderPaid(
                domainEvent, referral.ReferrerId, referral.Referrer.ReferrerId, referral.Referrer.Stage, referral.Rejected, referral.HasNewcomerGift));
        }
    }
}
