namespace CommunityFunnel.Domain.Announcements;

/// <summary>One message for one group at one instant; an announcement (ad-hoc or an event's countdown) is a set of posts.</summary>
public sealed class Post
{
    public const int MaxTextLength = 4000;

    private Post()
    {
    }

    public Post(Guid announcementId, Guid groupId, string text, DateTimeOffset dueAt, DateTimeOffset deadline, DateTimeOffset createdAt, Guid? imageId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(deadline, dueAt);
        Id = Guid.CreateVersion7(createdAt);
        AnnouncementId = announcementId;
        GroupId = groupId;
        Text = text;
        DueAt = dueAt;
        Deadline = deadline;
        CreatedAt = createdAt;
        ImageId = imageId;
    }

    public Guid Id { get; private set; }
    public Guid AnnouncementId { get; private set; }
    public Guid GroupId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset DueAt { get; private set; }

    /// <summary>After this a late post no longer matters ("starts in 10 minutes" an hour later): it expires unsent.</summary>
    public DateTimeOffset Deadline { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>A picture sent with the text where the platform can show one (a stored image); null for text alone.</summary>
    public Guid? ImageId { get; private set; }

    /// <summary>Called off before it went out: its deliveries still waiting are cancelled and it never reaches the feed.</summary>
    public DateTimeOffset? CancelledAt { get; private set; }

    /// <summary>
    /// Cancels a post not yet due; one already due, or due within <paramref name="sendingLead"/> (the dispatcher is already
    /// getting it on its way), has gone out or is going, and stays.
    /// </summary>
    public bool Cancel(DateTimeOffset at, TimeSpan sendingLead)
    {
        if (CancelledAt is not null || DueAt <= at + sendingLead)
        {
            return false;
        }

        CancelledAt = at;
        return true;
    }
}
