namespace CommunityFunnel.Domain.Announcements;

/// <summary>Something a group counts down to (a flash sale, a group-buy, a member day), held in one or several groups.</summary>
public sealed class SalesEvent
{
    public const int TitleMaxLength = 120;
    public const int DescriptionMaxLength = 2000;

    private SalesEvent()
    {
    }

    public SalesEvent(string title, string description, string? link, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Id = Guid.CreateVersion7(createdAt);
        Title = title;
        Description = description;
        Link = link;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public string? Link { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>When an event starts in one group: "20:00" means 20:00 in that group's own time zone.</summary>
public sealed class EventOccurrence
{
    private EventOccurrence()
    {
    }

    public EventOccurrence(Guid eventId, Guid groupId, DateTimeOffset startsAt, DateTimeOffset? endsAt)
    {
        EventId = eventId;
        GroupId = groupId;
        StartsAt = startsAt;
        EndsAt = endsAt;
    }

    public Guid EventId { get; private set; }
    public Guid GroupId { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public DateTimeOffset? EndsAt { get; private set; }
}
