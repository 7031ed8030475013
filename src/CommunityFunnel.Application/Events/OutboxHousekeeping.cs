using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Events;

/// <summary>Relayed outbox messages are kept 30 days (to look into what was published), then removed.</summary>
public sealed class OutboxHousekeeping(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan KeepRelayedFor = TimeSpan.FromDays(30);
    private const int BatchSize = 5000;

    /// <summary>Returns how many messages were removed.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow() - KeepRelayedFor;
        var total = 0;
        int purged;
        do
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var old = db.OutboxMessages.Where(m => m.RelayedAt < before).OrderBy(m => m.RelayedAt).Take(BatchSize).Select(m => m.Id);
            purged = await db.OutboxMessages.Where(m => old.Contains(m.Id)).ExecuteDeleteAsync(ct);
            total += purged;
        }
        while (purged == BatchSize);

        return total;
    }
}
