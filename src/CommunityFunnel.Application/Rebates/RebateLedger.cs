using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Referrals;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Rebates;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommunityFunnel.Application.Rebates;

/// <summary>
/// Writes the rebate ledger: credits when a referred member's order is paid, clawbacks when it is refunded, releases
/// when holds end. Credits and clawbacks run inside the order's own transaction (called by the event handlers), so an
/// order is never paid without its rebates, nor refunded without taking them back.
/// </summary>
public sealed class RebateLedger(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public const int ReleaseBatchSize = 500;
    private static readonly string LockOrdersDueSql = EmbeddedSql.Read(typeof(RebateLedger), "lock_orders_due_for_release.sql");
    private static readonly string ReleaseSql = EmbeddedSql.Read(typeof(RebateLedger), "release_rebates.sql");

    /// <summary>Writes nothing to the database but the entries: what they depend on came with the event, read with the referral.</summary>
    public static void Credit(CommunityFunnelDbContext db, ReferredOrderPaid referred)
    {
        var paid = referred.Paid;
        if (referred.ReferralRejected || paid.Amount <= 0 || referred.RebateTerms is not { } terms || !terms.Earn(paid))
        {
            return;
        }

        var plan = terms.Plan;
        var (level1Percent, level2Percent) = plan.RatesFor(paid.Tier);
        var (level1, level2) = RebateRules.Split(paid.Amount, level1Percent, level2Percent, terms.MultiplierAt(paid.OccurredAt), plan.PerOrderCap, Currencies.MinorUnit(paid.Currency));
        var availableAt = paid.OccurredAt.AddDays(plan.HoldDays);
        if (level1 > 0)
        {
            db.RebateEntries.Add(RebateEntry.Earn(referred.ReferrerId, paid.Currency, 1, paid.OrderId, paid.MemberId, level1, paid.OccurredAt, availableAt));
        }

        if (level2 > 0 && referred.SecondLevelReferrerId is { } secondLevelReferrerId && secondLevelReferrerId != paid.MemberId)
        {
            db.RebateEntries.Add(RebateEntry.Earn(secondLevelReferrerId, paid.Currency, 2, paid.OrderId, paid.MemberId, level2, paid.OccurredAt, availableAt));
        }
    }

    /// <summary>
    /// Takes back, per level, the share of the rebate that the refunds so far represent, minus what was taken back
    /// already: from what is still pending first (voided), the rest from the available balance (clawed back, which may
    /// take it below zero; later rebates make up for it).
    /// </summary>
    public static async Task ClawBackAsync(CommunityFunnelDbContext db, OrderRefunded refunded, CancellationToken ct)
    {
        var entries = await db.RebateEntries.AsNoTracking().Where(e => e.OrderId == refunded.OrderId).ToListAsync(ct);
        foreach (var earned in entries.Where(e => e.Kind == RebateEntryKind.Earned))
        {
            var own = entries.Where(e => e.MemberId == earned.MemberId && e.Level == earned.Level).ToList();
            var takenBack = -own.Where(e => e.Kind is RebateEntryKind.Voided or RebateEntryKind.ClawedBack).Sum(e => e.Amount);
            var due = RebateRules.ClawedBackSoFar(earned.Amount, refunded.RefundedTotal, refunded.PaidAmount, Currencies.MinorUnit(earned.Currency)) - takenBack;
            if (due <= 0)
            {
                continue;
            }

            var fromPending = Math.Min(due, own.Sum(e => e.PendingDelta));
            if (fromPending > 0)
            {
                db.RebateEntries.Add(RebateEntry.Void(earned, refunded.RefundId, fromPending, refunded.OccurredAt));
            }

            if (due - fromPending > 0)
            {
                db.RebateEntries.Add(RebateEntry.ClawBack(earned, refunded.RefundId, due - fromPending, refunded.OccurredAt));
            }
        }
    }

    /// <summary>A rejected referral earns nothing: what its member's orders earned and is still pending is voided.</summary>
    public static async Task VoidPendingOfAsync(CommunityFunnelDbContext db, Guid buyerId, DateTimeOffset at, CancellationToken ct)
    {
        var entries = await db.RebateEntries.AsNoTracking().Where(e => e.BuyerId == buyerId && e.OrderId != null).ToListAsync(ct);
        foreach (var earned in entries.Where(e => e.Kind == RebateEntryKind.Earned))
        {
            var pending = entries.Where(e => e.OrderId == earned.OrderId && e.MemberId == earned.MemberId && e.Level == earned.Level).Sum(e => e.PendingDelta);
            if (pending > 0)
            {
                db.RebateEntries.Add(RebateEntry.Void(earned, earned.OrderId!.Value, pending, at));
            }
        }
    }

    /// <summary>Makes every rebate whose hold has ended available; returns how many entries it released.</summary>
    public async Task<int> ReleaseDueAsync(CancellationToken ct)
    {
        var released = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow();
            var orderIds = await db.Database.SqlQueryRaw<Guid>(LockOrdersDueSql,
                new NpgsqlParameter("now", now), new NpgsqlParameter("batch", ReleaseBatchSize)).ToListAsync(ct);
            if (orderIds.Count == 0)
            {
                return released;
            }

            released += await db.Database.ExecuteSqlRawAsync(ReleaseSql,
                [new NpgsqlParameter("now", now), new NpgsqlParameter("order_ids", orderIds.ToArray())], ct);
            await tx.CommitAsync(ct);
            if (orderIds.Count < ReleaseBatchSize)
            {
                return released;
            }
        }
    }
}
