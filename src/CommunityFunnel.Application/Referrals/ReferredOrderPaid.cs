using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Referrals;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Referrals;

/// <summary>
/// A paid order of a member someone referred, with the two referrers above them (the second is null when the
/// referrer joined on their own) and whether an operator rejected the referral (its orders earn no rebates).
/// </summary>
public sealed record ReferredOrderPaid(OrderPaid Paid, Guid ReferrerId, Guid? SecondLevelReferrerId, bool ReferralRejected) : IDomainEvent
{
    public DateTimeOffset OccurredAt => Paid.OccurredAt;
}

/// <summary>
/// Reads who referred the buyer once per payment, in one query, for every reaction to referred members' payments
/// (rebates, the sharing rule, gift packs); a payment of a member nobody referred costs that one query and no more.
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
                SecondLevelReferrerId = db.Members.Where(r => r.Id == m.ReferrerId).Select(r => r.ReferrerId).FirstOrDefault(),
                Rejected = db.Referrals.Any(r => r.MemberId == m.Id && r.Status == ReferralStatus.Rejected),
            })
            .SingleOrDefaultAsync(ct);
        if (referral is not null)
        {
            db.Raise(new ReferredOrderPaid(domainEvent, referral.ReferrerId, referral.SecondLevelReferrerId, referral.Rejected));
        }
    }
}
