namespace CommunityFunnel.Application.Events;

/// <summary>
/// Reacts after the fact. Runs in the relay's transaction, once per batch of messages (oldest first) in the normal case
/// and again if the relay fails before it commits: record work (a delivery row, a counter) idempotently, keyed by the
/// message id. A batch, not a message at a time, so a subscriber writes its rows in one statement: at 10,000 messages a
/// round trip each was most of the relay's time.
/// </summary>
public interface IOutboxSubscriber
{
    Task HandleAsync(Data.CommunityFunnelDbContext db, IReadOnlyList<OutboxMessage> messages, CancellationToken ct);
}
