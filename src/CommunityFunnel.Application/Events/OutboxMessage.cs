namespace CommunityFunnel.Application.Events;

/// <summary>
/// An event kept for what may happen after the transaction (webhooks now; notifications and analytics later). Written
/// in the same transaction as the change it reports, relayed at least once, identified by its id everywhere.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
    }

    public OutboxMessage(string type, string payload, DateTimeOffset occurredAt)
    {
        Id = Guid.CreateVersion7(occurredAt);
        Type = type;
        Payload = payload;
        OccurredAt = occurredAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The published name, e.g. "order.paid" (<see cref="PublishedEvents"/>).</summary>
    public string Type { get; private set; } = "";

    /// <summary>The event as JSON (camelCase), as subscribers receive it.</summary>
    public string Payload { get; private set; } = "";
    public DateTimeOffset OccurredAt { get; private set; }
    public DateTimeOffset? RelayedAt { get; private set; }

    public void MarkRelayed(DateTimeOffset at) => RelayedAt = at;
}
