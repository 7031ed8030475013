using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;

namespace CommunityFunnel.Application.Webhooks;

/// <summary>Queues each relayed event for the subscriptions that want it, in the relay's transaction (once, however often it is relayed).</summary>
internal sealed class WebhookFanOut(TimeProvider clock) : IOutboxSubscriber
{
    public Task HandleAsync(CommunityFunnelDbContext db, IReadOnlyList<OutboxMessage> messages, CancellationToken ct) =>
        WebhookDeliveryStore.EnqueueAsync(db, messages, clock.GetUtcNow(), ct);
}
