namespace CommunityFunnel.Domain.Announcements;

/// <summary>
/// One post to one channel. The row, keyed uniquely by (post, channel), is what decides that a post happens once:
/// dispatchers claim it with a conditional update, never by trusting a job scheduler.
/// </summary>
public sealed class Delivery
{
    private Delivery()
    {
    }

    public Delivery(Guid postId, Guid channelId, DateTimeOffset dueAt, DateTimeOffset deadline)
    {
        Id = Guid.CreateVersion7(dueAt);
        PostId = postId;
        ChannelId = channelId;
        DueAt = dueAt;
        Deadline = deadline;
        NextAttemptAt = dueAt;
        Status = DeliveryStatus.Scheduled;
    }

    public Guid Id { get; private set; }
    public Guid PostId { get; private set; }
    public Guid ChannelId { get; private set; }
    public DeliveryStatus Status { get; private set; }
    public DateTimeOffset DueAt { get; private set; }
    public DateTimeOffset Deadline { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? LeaseUntil { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public string LastResponse { get; private set; } = "";
}
