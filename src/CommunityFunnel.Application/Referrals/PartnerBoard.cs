using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.Domain.Referrals;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Referrals;

/// <summary>One referrer in one group: who they brought there, who of those paid, what those paid, and the rebates it earned (net of clawbacks).</summary>
public sealed record PartnerRow(Guid GroupId, string GroupName, Guid MemberId, string Name, int Joins, int ReferredPayers, decimal RevenueBrought, decimal Rebates, string Currency);

/// <summary>The partners of the groups the actor runs, by revenue brought: nothing of other groups is counted.</summary>
public sealed class PartnerBoard(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    public const int MaxRows = 200;

    public async Task<IReadOnlyList<PartnerRow>> ListAsync(Actor actor, Guid? groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = db.VisibleGroupIds(actor);
        var referrals = db.Referrals.Where(r => r.Status != ReferralStatus.Refused && visible.Contains(r.GroupId) && (groupId == null || r.GroupId == groupId));
        return await (
                from r in referrals
                group r by new { r.GroupId, r.ReferrerId } into brought
                join g in db.Groups on brought.Key.GroupId equals g.Id
                join m in db.Members on brought.Key.ReferrerId equals m.Id
                let paidOrders = db.Orders.Where(o => o.GroupId == brought.Key.GroupId && o.Status == OrderStatus.Paid
                    && brought.Select(b => b.MemberId).Contains(o.MemberId))
                select new PartnerRow(g.Id, g.Name, m.Id, m.DisplayName, brought.Count(),
                    paidOrders.Select(o => o.MemberId).Distinct().Count(),
                    paidOrders.Sum(o => o.UnitPrice * o.Quantity - o.RefundedAmount),
                    db.RebateEntries.Where(e => e.MemberId == m.Id && (e.Kind == RebateEntryKind.Earned || e.Kind == RebateEntryKind.Voided || e.Kind == RebateEntryKind.ClawedBack)
                            && db.Orders.Any(o => o.Id == e.OrderId && o.GroupId == g.Id))
                        .Sum(e => e.PendingDelta + e.AvailableDelta),
                    g.Currency))
            .OrderByDescending(p => p.RevenueBrought).ThenByDescending(p => p.Joins)
            .Take(MaxRows)
            .ToListAsync(ct);
    }
}
