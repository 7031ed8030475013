using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommunityFunnel.Application.Referrals;

/// <summary>One referrer in one group: who they brought there, who of those paid, what those paid, and the rebates it earned (net of clawbacks).</summary>
public sealed record PartnerRow(Guid GroupId, string GroupName, Guid MemberId, string Name, int Joins, int ReferredPayers, decimal RevenueBrought, decimal Rebates, string Currency);

/// <summary>
/// The partners of the groups the actor runs, by revenue brought: nothing of other groups is counted. Added up by
/// PostgreSQL in one statement, so the page reads at most <see cref="MaxRows"/> rows however many referrals there are.
/// </summary>
public sealed class PartnerBoard(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    public const int MaxRows = 200;
    private static readonly string BoardSql = EmbeddedSql.Read(typeof(PartnerBoard), "partner_board.sql");

    public async Task<IReadOnlyList<PartnerRow>> ListAsync(Actor actor, Guid? groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groupIds = await db.VisibleGroupIds(actor).Where(id => groupId == null || id == groupId).ToArrayAsync(ct);
        if (groupIds.Length == 0)
        {
            return [];
        }

        return await db.Database.SqlQueryRaw<PartnerRow>(BoardSql, new NpgsqlParameter("group_ids", groupIds), new NpgsqlParameter("limit", MaxRows))
            .ToListAsync(ct);
    }
}
