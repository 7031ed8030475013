namespace CommunityFunnel.Application.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt (the first one is due at once).</summary>
    Pending,

    /// <summary>Claimed by a sender until its lease ends; a sender that died leaves it to be claimed again.</summary>
    Sending,

    /// <summary>The receiver answered 2xx. Never sent again, except by an admin's "send again".</summary>
    Delivered,

    /// <summary>Not acknowledged within its retry window: given up.</summary>
    Failed,
}

/// <summary>
/// One event for one subscription, unique on (subscription, event), so relaying a message twice queues it once. Its
/// status changes only through <see cref="WebhookDeliveryStore"/>. The body is kept as sent, so every attempt (and
/// "send again") carries the same bytes; only the timestamp and signature headers differ.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
    }

    public long Id { get; private set; }
    public Guid SubscriptionId { get; private set; }

    /// <summary>The outbox message's id: the event id receivers deduplicate on.</summary>
    public Guid EventId { get; private set; }
    public string EventType { get; private set; } = "";
    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>The JSON body every attempt posts: <c>{id, type, occurredAt, data}</c>.</summary>
    public string Body { get; private set; } = "";
    public WebhookDeliveryStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>After a failure at or past this instant the delivery gives up: 3 days after the event, or after "send again".</summary>
    public DateTimeOffset GiveUpAt { get; private set; }

    /// <summary>While <see cref="WebhookDeliveryStatus.Sending"/>: until when the sender that claimed it owns it.</summary>
    public DateTimeOffset? ClaimedUntil { get; private set; }

    /// <summary>Every attempt ever made; also tells one claim from the next, so a sender whose lease ran out records nothing.</summary>
    public int Attempts { get; private set; }

    /// <summary>Failures since the last success or "send again": what the backoff counts.</summary>
    public int ConsecutiveFailures { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>When it was delivered or given up; old finished deliveries are purged.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }
}
