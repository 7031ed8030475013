namespace CommunityFunnel.Domain.Announcements;

/// <summary>One request to a platform: the delivery log, and the record per-channel rate limits count.</summary>
public sealed class DeliveryAttempt
{
    private DeliveryAttempt()
    {
    }

    public long Id { get; private set; }
    public Guid DeliveryId { get; private set; }
    public Guid ChannelId { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public string Outcome { get; private set; } = "";
    public string Response { get; private set; } = "";
}
