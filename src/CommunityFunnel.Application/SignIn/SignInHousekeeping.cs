using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.SignIn;

/// <summary>
/// Forgets sign-in state nobody can use any more: codes long expired whose hourly send window has passed, and rate
/// counters whose window has. Without it both tables keep a row for every phone and address that ever asked.
/// </summary>
public sealed class SignInHousekeeping(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Kept this long after they stop mattering, so the audit of a fresh incident can still see them.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var before = clock.GetUtcNow() - Grace;
        var windowBefore = before - SignInLimits.Window;
        var codes = await db.SignInCodes.Where(c => c.ExpiresAt < before && c.WindowStartedAt < windowBefore).ExecuteDeleteAsync(ct);
        var counters = await db.RateCounters.Where(c => c.WindowStartedAt < windowBefore).ExecuteDeleteAsync(ct);
        return codes + counters;
    }
}
