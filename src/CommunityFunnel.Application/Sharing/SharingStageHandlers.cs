using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Referrals;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Rebates;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Sharing;

internal sealed class PromoteReferrerWhenReferredMemberPays : IHandles<ReferredOrderPaid>
{
    public async Task HandleAsync(CommunityFunnelDbContext db, ReferredOrderPaid domainEvent, CancellationToken ct)
    {
        if (domainEvent.SharingRule is { Mode: SharingEntryMode.ReferredPayers } rule)
        {
            await SharingStage.PromoteIfEarnedAsync(db, rule, domainEvent.ReferrerId, domainEvent.ReferrerStage, domainEvent.ReferrerHeldStage, domainEvent.OccurredAt, ct);
        }
    }
}

/// <summary>Only a full refund can end a referred member's standing as a payer; a partial one leaves them one.</summary>
internal sealed class RevokeReferrersSharingWhenOrderRefunded : IHandles<OrderRefunded>
{
    public async Task HandleAsync(CommunityFunnelDbContext db, OrderRefunded domainEvent, CancellationToken ct)
    {
        if (domainEvent.IsFull
            && await SharingStage.RuleAsync(db, ct) is { Mode: SharingEntryMode.ReferredPayers } rule
            && await db.Members.Where(m => m.Id == domainEvent.MemberId).Select(m => m.ReferrerId).SingleAsync(ct) is { } referrerId)
        {
            await SharingStage.RevokeIfNoLongerEarnedAsync(db, rule, referrerId, domainEvent.OrderId, domainEvent.OccurredAt, ct);
        }
    }
}

/// <summary>Either level counts: a rebate is earned by the referrer and by the referrer's referrer alike.</summary>
internal sealed class PromotePartnerWhenRebateCredited : IHandles<RebateCredited>
{
    public async Task HandleAsync(CommunityFunnelDbContext db, RebateCredited domainEvent, CancellationToken ct)
    {
        if (await SharingStage.RuleAsync(db, ct) is { Mode: SharingEntryMode.RebatesEarned } rule && rule.RebatesCurrency == domainEvent.Currency)
        {
            await SharingStage.PromoteIfEarnedAsync(db, rule, domainEvent.MemberId, lastSeenStage: null, heldStage: null, domainEvent.OccurredAt, ct);
        }
    }
}

/// <summary>A refund's clawback, or the voiding of a rejected referral's rebates, can take a partner below the amount.</summary>
internal sealed class RevokePartnerWhenRebateTakenBack : IHandles<RebateClawedBack>
{
    public async Task HandleAsync(CommunityFunnelDbContext db, RebateClawedBack domainEvent, CancellationToken ct)
    {
        if (await SharingStage.RuleAsync(db, ct) is { Mode: SharingEntryMode.RebatesEarned } rule && rule.RebatesCurrency == domainEvent.Currency)
        {
            await SharingStage.RevokeIfNoLongerEarnedAsync(db, rule, domainEvent.MemberId, domainEvent.OrderId, domainEvent.OccurredAt, ct);
        }
    }
}
