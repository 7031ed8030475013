using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Analytics;

/// <summary>The funnel at a glance, for all the actor's groups or for one group (days counted in that group's time zone).</summary>
public sealed class DashboardService(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Result<DashboardData>> GetAsync(Actor actor, Guid? groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        IQueryable<Guid> groupIds;
        string scope;
        var zone = TimeZoneInfo.Utc;
        if (groupId is { } id)
        {
            var found = await db.FindGroupForAsync(actor, id, ct);
            if (found.Value is not { } group)
            {
                return found.Failure!;
            }

            groupIds = db.Groups.Where(g => g.Id == id).Select(g => g.Id);
            scope = group.Name;
            zone = TimeZones.Find(group.TimeZoneId);
        }
        else
        {
            groupIds = db.VisibleGroups(actor).Where(g => !g.IsArchived).Select(g => g.Id);
            scope = "All groups";
        }

        var now = clock.GetUtcNow();
        var memberIds = db.GroupMemberships.Where(gm => groupIds.Contains(gm.GroupId)).Select(gm => gm.MemberId).Distinct();
        var stageRows = await db.Members.Where(m => memberIds.Contains(m.Id))
            .GroupBy(m => m.Stage).Select(g => new { Stage = g.Key, Count = g.Count() }).ToListAsync(ct);
        var stageCounts = FunnelStages.All.ToDictionary(s => s, s => stageRows.Where(r => r.Stage == s).Sum(r => r.Count));

        var since30 = now.AddDays(-30);
        // A paid order counts what was paid minus what its partial refunds gave back; a fully refunded one is no longer Paid.
        var revenue = await db.Orders
            .Where(o => groupIds.Contains(o.GroupId) && o.Status == OrderStatus.Paid && o.PaidAt >= since30)
            .GroupBy(o => new { o.Currency, o.Tier })
            .Select(g => new { g.Key.Currency, g.Key.Tier, Amount = g.Sum(o => o.UnitPrice * o.Quantity - o.RefundedAmount), Count = g.Count() })
            .ToListAsync(ct);

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var firstDay = today.AddDays(-6);
        var since7 = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(firstDay.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
        var joins = await db.GroupMemberships.Where(gm => groupIds.Contains(gm.GroupId) && gm.JoinedAt >= since7)
            .GroupBy(gm => gm.MemberId).Select(g => g.Min(gm => gm.JoinedAt)).ToListAsync(ct);
        var perDay = joins.GroupBy(at => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime)).ToDictionary(g => g.Key, g => g.Count());

        return new DashboardData(
            scope,
            stageCounts.Values.Sum(),
            stageCounts,
            Conversions(stageCounts),
            revenue.OrderBy(r => r.Currency).ThenBy(r => r.Tier).Select(r => new TierRevenue(r.Currency, r.Tier, r.Amount, r.Count)).ToList(),
            Enumerable.Range(0, 7).Select(i => firstDay.AddDays(i)).Select(d => new DailyCount(d, perDay.GetValueOrDefault(d))).ToList());
    }

    /// <summary>Stages form a ladder: a member who reached stage k is now at k or beyond.</summary>
    internal static IReadOnlyList<StageConversion> Conversions(IReadOnlyDictionary<FunnelStage, int> stageCounts)
    {
        int ReachedAtLeast(FunnelStage stage) => stageCounts.Where(kv => kv.Key >= stage).Sum(kv => kv.Value);
        return FunnelStages.All.Zip(FunnelStages.All.Skip(1))
            .Select(pair => new StageConversion(pair.First, pair.Second, ReachedAtLeast(pair.First), ReachedAtLeast(pair.Second)))
            .ToList();
    }
}
