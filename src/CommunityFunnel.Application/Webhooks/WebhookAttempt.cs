namespace CommunityFunnel.Application.Webhooks;

/// <summary>One try of a delivery, kept for the delivery log: the answer's status code, or why there was none, and how long it took.</summary>
public sealed class WebhookAttempt
{
    public const int ErrorMaxLength = 300;

    private WebhookAttempt()
    {
    }

    public long Id { get; private set; }
    public long DeliveryId { get; private set; }

    /// <summary>The delivery's attempt number (1 for the first).</summary>
    public int Number { get; private set; }
    public DateTimeOffset AttemptedAt { get; private set; }
    public int? StatusCode { get; private set; }
    public string? Error { get; private set; }
    public int DurationMs { get; private set; }
}
