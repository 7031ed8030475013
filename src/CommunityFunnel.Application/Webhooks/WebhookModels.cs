namespace CommunityFunnel.Application.Webhooks;

/// <param name="Events">Published event names (<see cref="Events.PublishedEvents.Names"/>).</param>
/// <param name="Secret">The signing secret receivers check X-CommunityFunnel-Signature with (16 to 256 characters).</param>
public sealed record WebhookInput(string? Url, IReadOnlyList<string>? Events, string? Secret);

/// <param name="PausedUntil">The receiver asked for time (Retry-After) or gave no answer: nothing goes to it before then.</param>
/// <param name="Waiting">Deliveries not yet acknowledged and still being tried.</param>
/// <param name="Failed">Deliveries given up on (they can be sent again).</param>
public sealed record WebhookRow(
    Guid Id, string Url, IReadOnlyList<string> Events, string SecretHint, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset? PausedUntil,
    int Waiting, int Failed);

/// <summary>One event's delivery to one subscription; receivers deduplicate on <see cref="EventId"/>.</summary>
/// <param name="NextAttemptAt">When it is tried next (waiting deliveries only).</param>
/// <param name="FinishedAt">When it was delivered or given up.</param>
public sealed record WebhookDeliveryRow(
    Guid EventId, string EventType, DateTimeOffset OccurredAt, WebhookDeliveryStatus Status, int Attempts, int? LastStatusCode, string? LastError,
    DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? FinishedAt);

/// <param name="StatusCode">The receiver's answer; null when there was none (see <see cref="Error"/>).</param>
public sealed record WebhookAttemptRow(int Number, DateTimeOffset AttemptedAt, int? StatusCode, string? Error, int DurationMs);

/// <summary>A delivery with the exact body every attempt posts and the outcome of each attempt.</summary>
public sealed record WebhookDeliveryDetails(WebhookDeliveryRow Delivery, string Body, IReadOnlyList<WebhookAttemptRow> AttemptLog);
