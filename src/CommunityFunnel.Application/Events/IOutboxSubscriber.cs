namespace CommunityFunnel.Application.Events;

/// <summary>
/// Reacts after the fact. Runs in the relay's transaction, once per message in the normal case and again if the relay
/// fails before it commits: record work (a delivery row, a counter) idempotently, keyed by the message id.
/// </summary>
public interface IOutboxSubscriber
{
    Task HandleAsync(Data.CommunityFunnelDbContext db, OutboxMessage message, CancellationToken ct);
}
