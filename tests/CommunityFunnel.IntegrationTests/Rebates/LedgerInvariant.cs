using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Rebates;

/// <summary>
/// What must hold of the rebate ledger after anything: each balance the API reports is the sum of the entries; no
/// (order, member, level) has more pending than it earned or less than nothing; nothing is credited twice; and what was
/// earned equals what is pending, available and paid out plus what was taken back.
/// </summary>
internal static class LedgerInvariant
{
    public static async Task AssertHoldsAsync(PostgresFixture database, CancellationToken ct)
    {
        await using var db = await database.CreateDbContextAsync();
        var entries = await db.RebateEntries.AsNoTracking().ToListAsync(ct);
        Assert.DoesNotContain(entries.GroupBy(e => (e.Kind, e.SourceId, e.MemberId, e.Level)), g => g.Count() > 1);
        foreach (var perLevel in entries.Where(e => e.OrderId is not null).GroupBy(e => (e.OrderId, e.MemberId, e.Level)))
        {
            var earned = perLevel.Where(e => e.Kind == RebateEntryKind.Earned).Sum(e => e.Amount);
            var pending = perLevel.Sum(e => e.PendingDelta);
            Assert.InRange(pending, 0m, earned);
            Assert.True(perLevel.Count(e => e.Kind == RebateEntryKind.Earned) == 1, $"one credit per order and level: {perLevel.Key}");
            Assert.True(perLevel.Count(e => e.Kind == RebateEntryKind.Released) <= 1, $"one release per order and level: {perLevel.Key}");
            var takenBack = -perLevel.Where(e => e.Kind is RebateEntryKind.Voided or RebateEntryKind.ClawedBack).Sum(e => e.Amount);
            Assert.InRange(takenBack, 0m, earned);
        }

        foreach (var account in entries.GroupBy(e => (e.MemberId, e.Currency)))
        {
            var statement = await RebateAccounts.StatementAsync(db, account.Key.MemberId, account.Key.Currency, ct);
            Assert.Equal(account.Sum(e => e.PendingDelta), statement.Pending);
            Assert.Equal(account.Sum(e => e.AvailableDelta), statement.Available);
            Assert.Equal(account.Sum(e => e.PaidOutDelta), statement.PaidOut);
            var earned = account.Where(e => e.Kind == RebateEntryKind.Earned).Sum(e => e.Amount);
            var takenBack = -account.Where(e => e.Kind is RebateEntryKind.Voided or RebateEntryKind.ClawedBack).Sum(e => e.Amount);
            Assert.Equal(earned - takenBack, statement.Pending + statement.Available + statement.PaidOut);
        }
    }
}
