using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Referrals;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Pricing;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Sharing;

/// <summary>
/// The sharing rule at work: a referrer whose referred members' payments meet it becomes a partner, and one a refund
/// takes back below it returns to the stage their own purchases justify (a Sharing stage an operator decided stays).
/// </summary>
internal static class SharingStage
{
    public static async Task PromoteReferrerIfEarnedAsync(CommunityFunnelDbContext db, Guid referrerId, DateTimeOffset now, CancellationToken ct)
    {
        var rule = await db.SharingRules.AsNoTracking().SingleOrDefaultAsync(ct) ?? SharingRule.Default;
        if (rule.Mode != SharingEntryMode.ReferredPayers)
        {
            return;
        }

        var referredPayers = await LockReferrerAndCountReferredPayersAsync(db, referrerId, ct);
        if (!rule.IsMetBy(referredPayers))
        {
            return;
        }

        var referrer = await db.Members.SingleAsync(m => m.Id == referrerId, ct);
        var from = referrer.Stage;
        if (referrer.PromoteToSharing($"{referredPayers} referred members have paid", now) == StageChangeOutcome.Moved)
        {
            db.Audit(now, AuditCategory.Stage, Actor.System, "member.stage", referrer.DisplayName, $"{from} -> Sharing: {referredPayers} referred members paid");
        }
    }

    public static async Task RevokeIfNoLongerEarnedAsync(CommunityFunnelDbContext db, Guid referrerId, Guid refundedOrderId, DateTimeOffset now, CancellationToken ct)
    {
        var rule = await db.SharingRules.AsNoTracking().SingleOrDefaultAsync(ct) ?? SharingRule.Default;
        if (rule.Mode != SharingEntryMode.ReferredPayers)
        {
            return;
        }

        var referredPayers = await LockReferrerAndCountReferredPayersAsync(db, referrerId, ct);
        var referrer = await db.Members.SingleAsync(m => m.Id == referrerId, ct);
        if (rule.IsMetBy(referredPayers) || referrer.Stage != FunnelStage.Sharing)
        {
            return;
        }

        var reason = $"Sharing rule no longer met: {referredPayers} of {rule.ReferredPayersRequired} referred members have paid after a refund";
        if (referrer.RevokeSharing(refundedOrderId, await HighestPaidTierAsync(db, referrerId, ct), reason, now) == StageChangeOutcome.Moved)
        {
            db.Audit(now, AuditCategory.Stage, Actor.System, "member.stage", referrer.DisplayName,
                $"Sharing -> {referrer.Stage}: order {refundedOrderId} refunded, {referredPayers} referred members paid");
        }
    }

    public static async Task<FunnelStage> HighestPaidTierAsync(CommunityFunnelDbContext db, Guid memberId, CancellationToken ct)
    {
        var paidTiers = await db.Orders.Where(o => o.MemberId == memberId && o.Status == OrderStatus.Paid).Select(o => o.Tier).ToListAsync(ct);
        return paidTiers.Count == 0 ? FunnelStage.Free : paidTiers.Max();
    }

    /// <summary>
    /// Locks the referrer first, so payments and refunds of several referred members are counted one after the other:
    /// whichever takes the lock last sees every other one committed and leaves the referrer at the right stage.
    /// </summary>
    private static async Task<int> LockReferrerAndCountReferredPayersAsync(CommunityFunnelDbContext db, Guid referrerId, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM funnel.members WHERE id = {referrerId} FOR UPDATE", ct);
        return await db.Members
            .CountAsync(m => m.ReferrerId == referrerId && db.Orders.Any(o => o.MemberId == m.Id && o.Status == OrderStatus.Paid), ct);
    }
}

internal sealed class PromoteReferrerWhenReferredMemberPays : IHandles<ReferredOrderPaid>
{
    public Task HandleAsync(CommunityFunnelDbContext db, ReferredOrderPaid domainEvent, CancellationToken ct) =>
        SharingStage.PromoteReferrerIfEarnedAsync(db, domainEvent.ReferrerId, domainEvent.OccurredAt, ct);
}

/// <summary>Only a full refund can end a referred member's standing as a payer; a partial one leaves them one.</summary>
internal sealed class RevokeReferrersSharingWhenOrderRefunded : IHandles<OrderRefunded>
{
    public async Task HandleAsync(CommunityFunnelDbContext db, OrderRefunded domainEvent, CancellationToken ct)
    {
        if (domainEvent.IsFull && await db.Members.Where(m => m.Id == domainEvent.MemberId).Select(m => m.ReferrerId).SingleAsync(ct) is { } referrerId)
        {
            await SharingStage.RevokeIfNoLongerEarnedAsync(db, referrerId, domainEvent.OrderId, domainEvent.OccurredAt, ct);
        }
    }
}
