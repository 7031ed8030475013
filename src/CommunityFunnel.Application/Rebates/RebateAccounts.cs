using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Rebates;

/// <summary>Reads members' rebate balances. Balances are never stored: they are the sums of the ledger's entries.</summary>
public sealed class RebateAccounts(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    public const int MaxEntries = 500;

    /// <summary>
    /// The member's statement in <paramref name="currency"/>, or in the currency they last earned in (their first group's
    /// when they have earned nothing yet).
    /// </summary>
    public async Task<Result<RebateStatement>> StatementAsync(Actor actor, Guid memberId, string? currency, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindMemberForAsync(actor, memberId, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        if (currency is not null && Currencies.Check(currency, "currency", out currency) is { } unknown)
        {
            return Failure.Invalid([unknown]);
        }

        return await StatementAsync(db, memberId, currency, ct);
    }

    /// <summary>The signed-in member's own statements, one per currency they earned in (their first group's when none yet).</summary>
    public async Task<IReadOnlyList<RebateStatement>> OwnStatementsAsync(Guid memberId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var currencies = await db.RebateEntries.Where(e => e.MemberId == memberId).Select(e => e.Currency).Distinct().OrderBy(c => c).ToListAsync(ct);
        if (currencies.Count == 0)
        {
            return [await StatementAsync(db, memberId, null, ct)];
        }

        var statements = new List<RebateStatement>(currencies.Count);
        foreach (var currency in currencies)
        {
            statements.Add(await StatementAsync(db, memberId, currency, ct));
        }

        return statements;
    }

    /// <summary>Every member's available balance in <paramref name="currency"/> (the sum of the entries), as a query to narrow further.</summary>
    internal static IQueryable<AvailableBalance> AvailableBalances(CommunityFunnelDbContext db, string currency) =>
        db.RebateEntries
            .Where(e => e.Currency == currency)
            .GroupBy(e => e.MemberId)
            .Select(g => new AvailableBalance { MemberId = g.Key, Available = g.Sum(e => e.AvailableDelta) });

    internal static async Task<RebateStatement> StatementAsync(CommunityFunnelDbContext db, Guid memberId, string? currency, CancellationToken ct)
    {
        currency ??= await db.RebateEntries.Where(e => e.MemberId == memberId).OrderByDescending(e => e.Sequence).Select(e => e.Currency).FirstOrDefaultAsync(ct)
            ?? await (from gm in db.GroupMemberships
                      join g in db.Groups on gm.GroupId equals g.Id
                      where gm.MemberId == memberId
                      orderby gm.JoinedAt
                      select g.Currency).FirstOrDefaultAsync(ct)
            ?? Currencies.Default;
        var entries = db.RebateEntries.AsNoTracking().Where(e => e.MemberId == memberId && e.Currency == currency);
        var sums = await entries.GroupBy(e => 1)
            .Select(g => new { Pending = g.Sum(e => e.PendingDelta), Available = g.Sum(e => e.AvailableDelta), PaidOut = g.Sum(e => e.PaidOutDelta) })
            .SingleOrDefaultAsync(ct);
        var lines = (await entries.OrderByDescending(e => e.Sequence).Take(MaxEntries).ToListAsync(ct))
            .Select(e => new RebateLine(e.Id, e.Kind, e.Level, e.Amount, e.OrderId, e.CreatedAt, e.AvailableAt))
            .ToList();
        return new RebateStatement(currency, sums?.Pending ?? 0, sums?.Available ?? 0, sums?.PaidOut ?? 0, lines);
    }
}
