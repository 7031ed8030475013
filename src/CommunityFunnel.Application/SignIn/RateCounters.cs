using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.SignIn;

/// <summary>Whether one more hit fits the window, and if not, how long until it does.</summary>
public sealed record RateDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// Fixed-window counters in PostgreSQL, so a limit holds across every app instance (the in-process rate limiter counts
/// per instance). One upsert counts the hit and reads the total, so concurrent hits never both see the last free slot.
/// </summary>
public sealed class RateCounters(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public async Task<RateDecision> HitAsync(string key, int limit, TimeSpan window, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var staleBefore = now - window;
        var counterKey = key.Length > RateCounter.KeyMaxLength ? key[..RateCounter.KeyMaxLength] : key;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counted = await db.RateCounters.FromSql($"""
            INSERT INTO funnel.rate_counters AS c (key, window_started_at, hits) VALUES ({counterKey}, {now}, 1)
            ON CONFLICT (key) DO UPDATE SET
                window_started_at = CASE WHEN c.window_started_at <= {staleBefore} THEN {now} ELSE c.window_started_at END,
                hits = CASE WHEN c.window_started_at <= {staleBefore} THEN 1 ELSE c.hits + 1 END
            RETURNING c.*
            """).AsNoTracking().ToListAsync(ct);
        var hit = counted.Single();
        return hit.Hits <= limit ? new RateDecision(true, TimeSpan.Zero) : new RateDecision(false, hit.WindowStartedAt + window - now);
    }
}
