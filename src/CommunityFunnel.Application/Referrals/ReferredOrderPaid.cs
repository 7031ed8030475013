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
        // A join, not a First() in the projection: EF turns that into a window over every member, read on every payment.
        var referral = await (
                from buyer in db.Members.AsNoTracking()
                where buyer.Id == domainEvent.MemberId
                join referrer in db.Members.AsNoTracking() on buyer.ReferrerId equals referrer.Id
                select new
                {
                    ReferrerId = referrer.Id,
                    SecondLevelReferrerId = referrer.ReferrerId,
                    ReferrerStage = referrer.Stage,
                    Rejected = db.Referrals.Any(r => r.MemberId == buyer.Id && r.Status == ReferralStatus.Rejected),
                    HasNewcomerGift = db.Orders.Any(o => o.MemberId == buyer.Id && o.Status == OrderStatus.Gifted && o.GiftForReferralId != null),
                })
            .SingleOrDefaultAsync(ct);
        if (referral is not null)
        {
            db.Raise(new ReferredOrderPaid(
                domainEvent, referral.ReferrerId, referral.SecondLevelReferrerId, referral.ReferrerStage, referral.Rejected, referral.HasNewcomerGift));
        }
    }
}
