using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Rebates;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Sharing;

/// <summary>
/// The sharing rule at work: a member whose referred members' payments (or whose rebates earned) meet it becomes a
/// partner, and one a refund takes back below it returns to the stage their own purchases justify (a Sharing stage
/// an operator decided stays).
/// </summary>
/// <remarks>
/// The measure is taken under a lock on the member's row, so payments and refunds that change it are counted one after
/// the other: whichever takes the lock last sees every other one committed. A payment for a member who already is a
/// partner only needs a shared lock (payments do not wait for each other; a refund's revocation waits for them).
/// </remarks>
internal static class SharingStage
{
    /// <summary>The rule, read once per unit of work: EF's identity map answers the later handlers of the same save.</summary>
    public static async Task<SharingRule> RuleAsync(CommunityFunnelDbContext db, CancellationToken ct) =>
        await db.SharingRules.FindAsync([SharingRule.SingletonId], ct) ?? SharingRule.Default;

    /// <summary>
    /// Translated to <c>funnel.hold_member_stage</c> (Sql/hold_member_stage.v1.sql): the member's stage under a shared lock
    /// held to the end of the transaction, so a payment's one read of its referral takes the lock that
    /// <see cref="IsPartnerStillAsync"/> needs without a round trip of its own.
    /// </summary>
    public static string HeldStage(Guid memberId) => throw new NotSupportedException("Only for use in queries: the database runs it.");

    /// <param name="lastSeenStage">The member's stage if the caller has read it already (without a lock), saving a read.</param>
    /// <param name="heldStage">The member's stage under a shared lock if the caller took one already, saving another.</param>
    public static async Task PromoteIfEarnedAsync(
        CommunityFunnelDbContext db, SharingRule rule, Guid memberId, FunnelStage? lastSeenStage, FunnelStage? heldStage, DateTimeOffset now, CancellationToken ct)
    {
        if (await IsPartnerStillAsync(db, memberId, lastSeenStage, heldStage, ct))
        {
            return;
        }

        await LockAsync(db, memberId, ct);
        var measure = await MeasureAsync(db, rule, memberId, now, ct);
        if (!measure.IsMet)
        {
            return;
        }

        var member = await db.Members.SingleAsync(m => m.Id == memberId, ct);
        var from = member.Stage;
        if (member.PromoteToSharing(measure.Description, now) == StageChangeOutcome.Moved)
        {
            db.Audit(now, AuditCategory.Stage, Actor.System, "member.stage", member.DisplayName, $"{from} -> Sharing: {measure.Description}");
        }
    }

    public static async Task RevokeIfNoLongerEarnedAsync(
        CommunityFunnelDbContext db, SharingRule rule, Guid memberId, Guid refundedOrderId, DateTimeOffset now, CancellationToken ct)
    {
        await LockAsync(db, memberId, ct);
        var measure = await MeasureAsync(db, rule, memberId, now, ct);
        var member = await db.Members.SingleAsync(m => m.Id == memberId, ct);
        if (measure.IsMet || member.Stage != FunnelStage.Sharing)
        {
            return;
        }

        var reason = $"Sharing rule no longer met after a refund: {measure.Description}";
        if (member.RevokeSharing(refundedOrderId, await HighestPaidTierAsync(db, memberId, ct), reason, now) == StageChangeOutcome.Moved)
        {
            db.Audit(now, AuditCategory.Stage, Actor.System, "member.stage", member.DisplayName,
                $"Sharing -> {member.Stage}: order {refundedOrderId} refunded, {measure.Description}");
        }
    }

    public static async Task<FunnelStage> HighestPaidTierAsync(CommunityFunnelDbContext db, Guid memberId, CancellationToken ct)
    {
        var paidTiers = await db.Orders.Where(o => o.MemberId == memberId && o.Status == OrderStatus.Paid).Select(o => o.Tier).ToListAsync(ct);
        return paidTiers.Count == 0 ? FunnelStage.Free : paidTiers.Max();
    }

    /// <summary>
    /// True when the member is a partner and stays one until this transaction ends (a shared lock holds off a
    /// revocation). A revocation that committed between the look and the lock restarts the whole attempt rather than
    /// upgrading the lock, which two payments doing at once would deadlock on.
    /// </summary>
    private static async Task<bool> IsPartnerStillAsync(
        CommunityFunnelDbContext db, Guid memberId, FunnelStage? lastSeenStage, FunnelStage? heldStage, CancellationToken ct)
    {
        if ((lastSeenStage ?? await db.Members.Where(m => m.Id == memberId).Select(m => m.Stage).SingleAsync(ct)) != FunnelStage.Sharing)
        {
            return false;
        }

        var held = heldStage ?? Enum.Parse<FunnelStage>(await db.Database.SqlQuery<string>($"SELECT funnel.hold_member_stage({memberId}) AS \"Value\"").SingleAsync(ct));
        return held == FunnelStage.Sharing
            ? true
            : throw new DbUpdateConcurrencyException("The member stopped being a partner while a payment was looking; trying the payment again.");
    }

    /// <summary>
    /// NO KEY UPDATE, not UPDATE: ledger rows the transaction already wrote for this member hold key-share locks on it
    /// through their foreign key, which a full update lock would wait on, deadlocking two payments for one partner.
    /// </summary>
    private static async Task LockAsync(CommunityFunnelDbContext db, Guid memberId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM funnel.members WHERE id = {memberId} FOR NO KEY UPDATE", ct);

    private sealed record Measure(bool IsMet, string Description);

    private static async Task<Measure> MeasureAsync(CommunityFunnelDbContext db, SharingRule rule, Guid memberId, DateTimeOffset now, CancellationToken ct)
    {
        if (rule.Mode == SharingEntryMode.RebatesEarned)
        {
            var earned = await RebatesEarnedAsync(db, memberId, rule.RebatesCurrency, now - SharingRule.RebatesWindow, ct);
            return new Measure(rule.IsMetByRebatesEarned(earned),
                $"{earned:0.##} of {rule.RebatesEarnedRequired:0.##} {rule.RebatesCurrency} in rebates earned in {SharingRule.RebatesWindow.TotalDays:0} days");
        }

        var referredPayers = await db.Members
            .CountAsync(m => m.ReferrerId == memberId && db.Orders.Any(o => o.MemberId == m.Id && o.Status == OrderStatus.Paid), ct);
        return new Measure(rule.IsMetByReferredPayers(referredPayers), $"{referredPayers} of {rule.ReferredPayersRequired} referred members have paid");
    }

    /// <summary>What the member earned on orders paid since <paramref name="since"/>, net of what refunds and rejections took back.</summary>
    private static Task<decimal> RebatesEarnedAsync(CommunityFunnelDbContext db, Guid memberId, string currency, DateTimeOffset since, CancellationToken ct) =>
        db.RebateEntries
            .Where(e => e.MemberId == memberId && e.Currency == currency
                && (e.Kind == RebateEntryKind.Earned || e.Kind == RebateEntryKind.Voided || e.Kind == RebateEntryKind.ClawedBack)
                && db.RebateEntries.Any(earned => earned.Kind == RebateEntryKind.Earned && earned.OrderId == e.OrderId
                    && earned.MemberId == e.MemberId && earned.Level == e.Level && earned.CreatedAt >= since))
            .SumAsync(e => e.Kind == RebateEntryKind.ClawedBack ? e.AvailableDelta : e.PendingDelta, ct);
}
