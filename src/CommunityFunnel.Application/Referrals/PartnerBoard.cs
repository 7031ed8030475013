using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.Domain.Referrals;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Referrals;

/// <summary>One referrer in one group: who they brought there, who of those paid, what those paid, and the rebates it earned (net of clawbacks).</summary>
public sealed record PartnerRow(Guid GroupId, string GroupName, Guid MemberId, string Name, int Joins, int ReferredPayers, decimal RevenueBrought, decimal Rebates, string Currency);

/// <summary>
/// The partners of the groups the actor runs, by revenue brought: nothing of other groups is counted. Read in a few flat
/// queries and added up here (a referrer's group of referrals does not translate into one SQL statement).
/// </summary>
public sealed class PartnerBoard(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    public const int MaxRows = 200;

    public async Task<IReadOnlyList<PartnerRow>> ListAsync(Actor actor, Guid? groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = db.VisibleGroupIds(actor);
        var referrals = db.Referrals.Where(r => r.Status != ReferralStatus.Refused && visible.Contains(r.GroupId) && (groupId == null || r.GroupId == groupId));
        var pairs = await referrals.Select(r => new { r.GroupId, r.ReferrerId, r.MemberId }).ToListAsync(ct);
        var paid = await (from o in db.Orders
                          where o.Status == OrderStatus.Paid && referrals.Any(r => r.MemberId == o.MemberId && r.GroupId == o.GroupId)
                          select new { o.GroupId, o.MemberId, Amount = o.UnitPrice * o.Quantity - o.RefundedAmount }).ToListAsync(ct);
        var rebates = await (from e in db.RebateEntries
                             join o in db.Orders on e.OrderId equals o.Id
                             where visible.Contains(o.GroupId) && (groupId == null || o.GroupId == groupId)
                                 && (e.Kind == RebateEntryKind.Earned || e.Kind == RebateEntryKind.Voided || e.Kind == RebateEntryKind.ClawedBack)
                             group e by new { o.GroupId, e.MemberId } into earned
                             select new { earned.Key.GroupId, earned.Key.MemberId, Net = earned.Sum(e => e.PendingDelta + e.AvailableDelta) }).ToListAsync(ct);
        var groups = await db.Groups.Where(g => visible.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => new { g.Name, g.Currency }, ct);
        var referrerIds = pairs.Select(p => p.ReferrerId).Distinct().ToList();
        var names = await db.Members.Where(m => referrerIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.DisplayName, ct);
        return [.. pairs.GroupBy(p => (p.GroupId, p.ReferrerId))
            .Select(brought =>
            {
                var members = brought.Select(p => p.MemberId).ToHashSet();
                var theirs = paid.Where(o => o.GroupId == brought.Key.GroupId && members.Contains(o.MemberId)).ToList();
                var group = groups[brought.Key.GroupId];
                return new PartnerRow(brought.Key.GroupId, group.Name, brought.Key.ReferrerId, names[brought.Key.ReferrerId], members.Count,
                    theirs.Select(o => o.MemberId).Distinct().Count(), theirs.Sum(o => o.Amount),
                    rebates.Where(r => r.GroupId == brought.Key.GroupId && r.MemberId == brought.Key.ReferrerId).Sum(r => r.Net), group.Currency);
            })
            .OrderByDescending(p => p.RevenueBrought).ThenByDescending(p => p.Joins)
            .Take(MaxRows)];
    }
}
