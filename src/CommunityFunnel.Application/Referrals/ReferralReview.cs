using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Domain.Referrals;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Referrals;

public sealed record FlaggedReferral(
    Guid Id, Guid GroupId, string GroupName, Guid MemberId, string MemberName, Guid ReferrerId, string ReferrerName,
    IReadOnlyList<string> Reasons, DateTimeOffset CreatedAt, int PaidOrders);

/// <summary>
/// The review queue: referrals that looked suspicious wait here, their rebates credited but held, until an operator of
/// the group approves them (the rebates are released when their hold ends) or rejects them (pending rebates are voided
/// and the member's orders earn nothing more).
/// </summary>
public sealed class ReferralReview(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxListed = 200;

    public async Task<IReadOnlyList<FlaggedReferral>> ListAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = db.VisibleGroupIds(actor);
        return await (
                from r in db.Referrals
                where r.Status == ReferralStatus.Flagged && visible.Contains(r.GroupId)
                join g in db.Groups on r.GroupId equals g.Id
                join m in db.Members on r.MemberId equals m.Id
                join referrer in db.Members on r.ReferrerId equals referrer.Id
                orderby r.CreatedAt
                select new FlaggedReferral(r.Id, g.Id, g.Name, m.Id, m.DisplayName, referrer.Id, referrer.DisplayName, r.Reasons, r.CreatedAt,
                    db.Orders.Count(o => o.MemberId == m.Id && o.Status == Domain.Orders.OrderStatus.Paid)))
            .Take(MaxListed)
            .ToListAsync(ct);
    }

    public Task<Result<ReferralStatus>> ApproveAsync(Actor actor, Guid referralId, CancellationToken ct) => DecideAsync(actor, referralId, approve: true, ct);

    public Task<Result<ReferralStatus>> RejectAsync(Actor actor, Guid referralId, CancellationToken ct) => DecideAsync(actor, referralId, approve: false, ct);

    private async Task<Result<ReferralStatus>> DecideAsync(Actor actor, Guid referralId, bool approve, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindInGroupForAsync(actor, db.Referrals.Where(r => r.Id == referralId), r => r.GroupId, "referral", ct);
        if (found.Value is not { } referral)
        {
            return found.Failure!;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The member's orders first, as a refund and the release lock them: a clawback never races the voiding.
        await db.Database.ExecuteSqlAsync($"SELECT id FROM funnel.orders WHERE member_id = {referral.MemberId} ORDER BY id FOR UPDATE", ct);
        var now = clock.GetUtcNow();
        var target = approve ? ReferralStatus.Approved : ReferralStatus.Rejected;
        if (!(approve ? referral.Approve(actor.Name, now) : referral.Reject(actor.Name, now)))
        {
            return referral.Status == target
                ? target
                : Failure.Conflict("referral_not_in_review", $"The referral is {referral.Status}; only flagged referrals are reviewed.");
        }

        if (!approve)
        {
            await RebateLedger.VoidPendingOfAsync(db, referral.MemberId, now, ct);
        }

        db.Audit(now, AuditCategory.Pricing, actor, approve ? "referral.approved" : "referral.rejected", referral.Id.ToString(), string.Join(", ", referral.Reasons));
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("concurrent_change", "Someone else reviewed this referral at the same moment; reload.");
        }

        return referral.Status;
    }
}
