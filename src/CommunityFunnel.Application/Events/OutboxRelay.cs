using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Events;

/// <summary>
/// Carries outbox messages to their subscribers, oldest first, a batch per transaction. Instances share the work with
/// SKIP LOCKED; a batch whose subscribers fail rolls back and is relayed again, so delivery is at least once.
/// </summary>
public sealed class OutboxRelay(IDbContextFactory<CommunityFunnelDbContext> dbFactory, IEnumerable<IOutboxSubscriber> subscribers, TimeProvider clock)
{
    public const int BatchSize = 200;

    /// <summary>Relays until the outbox is empty; returns how many messages went out.</summary>
    public async Task<int> DrainAsync(CancellationToken ct)
    {
        var total = 0;
        int relayed;
        do
        {
            relayed = await RelayBatchAsync(ct);
            total += relayed;
        }
        while (relayed == BatchSize);

        return total;
    }

    private async Task<int> RelayBatchAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var batch = await db.OutboxMessages
            .FromSql($"SELECT * FROM funnel.outbox_messages WHERE relayed_at IS NULL ORDER BY id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var subscriber in subscribers)
        {
            await subscriber.HandleAsync(db, batch, ct);
        }

        foreach (var message in batch)
        {
            message.MarkRelayed(now);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return batch.Count;
    }
}
