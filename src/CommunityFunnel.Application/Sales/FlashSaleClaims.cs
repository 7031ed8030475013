using System.Collections.Concurrent;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommunityFunnel.Application.Sales;

/// <summary>
/// The claim path, built for the minute a sale opens. One database round trip per claim (funnel.claim_flash_sale):
/// a retried idempotency key finds its first order, the per-member counter row enforces the limit, the order is
/// inserted, and the shared stock row is decremented last so its lock is held for the shortest time. A sale known
/// to be sold out or not live is refused from memory, without touching the database.
/// </summary>
public sealed class FlashSaleClaims(IDbContextFactory<CommunityFunnelDbContext> dbFactory, SaleAnnouncer announcer, TimeProvider clock, ILogger<FlashSaleClaims> logger)
{
    public const string SoldOutSqlState = "CF409";

    /// <summary>Units may come back (an unpaid reservation expires, an order is cancelled), so "sold out" is only trusted this long.</summary>
    private static readonly TimeSpan SoldOutMemory = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TermsMemory = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<Guid, SaleTerms> _terms = new();
    private readonly ConcurrentDictionary<Guid, SoldOut> _soldOut = new();

    /// <summary>
    /// Claims on one sale serialize on its stock row anyway; letting hundreds of them queue inside PostgreSQL for that
    /// row lock makes every commit slower (measured in bench/: 500 waiters halve the throughput). A few at a time per
    /// instance keeps the row busy and the rest wait here, cheaply.
    /// </summary>
    private const int ConcurrentClaimsPerSale = 8;
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();

    /// <summary>
    /// What a claim needs to know about a sale; immutable once created except for cancellation. <see cref="LowStockAt"/> and
    /// <see cref="AnnouncesSoldOut"/> say which claim should have the sale announce its stock.
    /// </summary>
    public sealed record SaleTerms(Guid Id, Guid GroupId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int PerMemberLimit, bool Cancelled, DateTimeOffset LoadedAt,
        int? LowStockAt = null, bool AnnouncesSoldOut = false)
    {
        /// <summary>
        /// Whether this claim took the stock to the "N left" mark or to zero. Claims decrement one counter in turn, so one
        /// claim crosses each mark (again only if units came back, and the post's key keeps it to once).
        /// </summary>
        public bool Crossed(ClaimResult claim) =>
            !claim.Replayed && claim.Remaining is { } left
            && ((left == 0 && AnnouncesSoldOut) || (LowStockAt is { } mark && left > 0 && left <= mark && left + claim.Quantity > mark));
    }

    /// <summary>A sold-out sale as this instance last saw it, with every keyed claim, so retries still get their first answer.</summary>
    private sealed record SoldOut(DateTimeOffset Until, IReadOnlyDictionary<string, (Guid MemberId, ClaimResult Claim)> ByKey);

    public async Task<SaleTerms?> FindTermsAsync(Guid saleId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_terms.TryGetValue(saleId, out var cached) && now - cached.LoadedAt < TermsMemory)
        {
            return cached;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var terms = await db.FlashSales.AsNoTracking().Where(s => s.Id == saleId)
            .Select(s => new SaleTerms(s.Id, s.GroupId, s.StartsAt, s.EndsAt, s.PerMemberLimit, s.CancelledAt != null, now,
                db.SaleAnnouncementPlans.Where(p => p.SaleId == s.Id).Select(p => p.LowStockAt).FirstOrDefault(),
                db.SaleAnnouncementPlans.Any(p => p.SaleId == s.Id && p.SoldOut)))
            .SingleOrDefaultAsync(ct);
        if (terms is not null)
        {
            _terms[saleId] = terms;
        }

        return terms;
    }

    /// <summary>
    /// Reserves <paramref name="quantity"/> units for a member the caller is entitled to act for (checked by the caller:
    /// an operator's group access, or the member's own session).
    /// </summary>
    public async Task<Result<ClaimResult>> ClaimAsync(SaleTerms sale, Guid memberId, int quantity, string? idempotencyKey, CancellationToken ct)
    {
        if (quantity < 1 || quantity > sale.PerMemberLimit)
        {
            return Failure.Invalid("invalid_quantity", $"Claim between 1 and {sale.PerMemberLimit} units (the per-member limit).", "quantity");
        }

        if (IdempotencyKeys.Problem(idempotencyKey) is { } invalidKey)
        {
            return invalidKey;
        }

        var now = clock.GetUtcNow();
        if (now >= sale.EndsAt)
        {
            _gates.TryRemove(sale.Id, out _); // not disposed: a request may still hold it; nothing else needs freeing
        }

        if (idempotencyKey is null && NotLive(sale, now) is { } notLive)
        {
            return notLive; // a retry with a key still gets its first answer, even after the sale ended
        }

        if (KnownSoldOut(sale.Id, memberId, idempotencyKey) is { } early)
        {
            return early;
        }

        var gate = _gates.GetOrAdd(sale.Id, _ => new SemaphoreSlim(ConcurrentClaimsPerSale));
        await gate.WaitAsync(ct);
        try
        {
            // Those queued here when the last unit went learn it without a trip to the database.
            var result = KnownSoldOut(sale.Id, memberId, idempotencyKey) ?? await ClaimOnceAsync(sale, memberId, quantity, idempotencyKey, now, ct);
            if (result.Value is { } claim && sale.Crossed(claim))
            {
                await AnnounceStockAsync(sale.Id, ct);
            }

            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The claim has committed and stands whatever happens here; a post lost to a failure here is written by the next catch-up sweep.</summary>
    private async Task AnnounceStockAsync(Guid saleId, CancellationToken ct)
    {
        try
        {
            await announcer.PostStockAsync(saleId, ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Flash sale {FlashSaleId}: its stock post waits for the catch-up sweep", saleId);
        }
    }

    private async Task<Result<ClaimResult>> ClaimOnceAsync(SaleTerms sale, Guid memberId, int quantity, string? idempotencyKey, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunClaimAsync(sale, memberId, quantity, idempotencyKey, now, ct);
            }
            catch (PostgresException ex) when (ex.SqlState == SoldOutSqlState)
            {
                var left = int.TryParse(ex.Detail, out var remaining) ? remaining : 0;
                if (left == 0)
                {
                    await RememberSoldOutAsync(sale.Id, ct);
                }

                return SoldOutFailure(left);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && idempotencyKey is not null && attempt == 1)
            {
                // The same key raced itself: the other request won; run again to return its order.
            }
        }
    }

    private async Task<Result<ClaimResult>> RunClaimAsync(SaleTerms sale, Guid memberId, int quantity, string? idempotencyKey, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("SELECT * FROM funnel.claim_flash_sale($1, $2, $3, $4, $5, $6)", (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.Add(new NpgsqlParameter { Value = sale.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = memberId });
        command.Parameters.Add(new NpgsqlParameter { Value = quantity });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = idempotencyKey, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7(now) });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var outcome = reader.GetString(0);
        var orderId = reader.IsDBNull(1) ? (Guid?)null : reader.GetGuid(1);
        var claimed = reader.GetInt32(2);
        var remaining = reader.IsDBNull(3) ? (int?)null : reader.GetInt32(3);
        var dueAt = reader.IsDBNull(4) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(4);
        return outcome switch
        {
            "claimed" => new ClaimResult(orderId!.Value, claimed, remaining, dueAt, Replayed: false),
            "replayed" => new ClaimResult(orderId!.Value, claimed, remaining, dueAt, Replayed: true),
            "key_reused" => KeyReused(),
            "unknown_sale" => Failure.NotFound("The flash sale"),
            "not_live" => NotLive(sale, now) ?? Failure.Unprocessable("not_live", "The flash sale is not open (its group is archived)."),
            "unknown_member" => Failure.Unprocessable("unknown_member", "No such member.", "memberId"),
            "not_in_group" => Failure.Unprocessable("not_in_group", "The member does not belong to this sale's group.", "memberId"),
            "stage_too_low" => Failure.Unprocessable("stage_too_low", "This sale is for members further along the funnel.", "memberId"),
            "limit_reached" => Failure.Conflict("limit_reached", $"At most {sale.PerMemberLimit} per member, and this member already holds {claimed}.", "quantity"),
            _ => throw new InvalidOperationException($"Unexpected claim outcome '{outcome}'."),
        };
    }

    private static Failure? NotLive(SaleTerms sale, DateTimeOffset now) =>
        sale.Cancelled ? Failure.Unprocessable("not_live", "The flash sale was cancelled.")
        : now < sale.StartsAt ? Failure.Unprocessable("not_live", $"The flash sale opens at {sale.StartsAt:u}.")
        : now >= sale.EndsAt ? Failure.Unprocessable("not_live", $"The flash sale ended at {sale.EndsAt:u}.")
        : null;

    private Result<ClaimResult>? KnownSoldOut(Guid saleId, Guid memberId, string? idempotencyKey)
    {
        if (!_soldOut.TryGetValue(saleId, out var soldOut) || clock.GetUtcNow() >= soldOut.Until)
        {
            return null;
        }

        return idempotencyKey is not null && soldOut.ByKey.TryGetValue(idempotencyKey, out var first)
            ? Replay(first.MemberId, first.Claim, memberId)
            : SoldOutFailure(0);
    }

    private async Task RememberSoldOutAsync(Guid saleId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_soldOut.TryGetValue(saleId, out var known) && now < known.Until)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keyed = await db.Orders.AsNoTracking()
            .Where(o => o.FlashSaleId == saleId && o.IdempotencyKey != null)
            .Select(o => new { Key = o.IdempotencyKey!, o.MemberId, o.Id, o.Quantity, o.PaymentDueAt })
            .ToListAsync(ct);
        _soldOut[saleId] = new SoldOut(now + SoldOutMemory,
            keyed.ToDictionary(o => o.Key, o => (o.MemberId, new ClaimResult(o.Id, o.Quantity, null, o.PaymentDueAt, Replayed: true))));
    }

    private static Result<ClaimResult> Replay(Guid claimedBy, ClaimResult first, Guid memberId) =>
        claimedBy == memberId ? first : KeyReused();

    private static Failure KeyReused() => IdempotencyKeys.Reused("another member's claim");

    private static Failure SoldOutFailure(int left) => left > 0
        ? Failure.Conflict("sold_out", $"Only {left} left; claim fewer.", "quantity")
        : Failure.Conflict("sold_out", "Sold out.");

    /// <summary>Units came back (expiry, cancellation): stop answering "sold out" from memory at once on this instance.</summary>
    public void Restocked(Guid saleId) => _soldOut.TryRemove(saleId, out _);

    /// <summary>For a freshly cancelled sale, so this instance stops accepting claims at once.</summary>
    public void Forget(Guid saleId) => _terms.TryRemove(saleId, out _);
}
