namespace CommunityFunnel.Domain.Announcements;

/// <summary>Something a group counts down to (a flash sale, a group-buy, a member day), held in one or several groups.</summary>
public sealed class SalesEvent
{
    public const int TitleMaxLength = 120;
    public const int DescriptionMaxLength = 2000;

    private SalesEvent()
    {
    }

    public SalesEvent(EventDetails details, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        CreatedAt = createdAt;
        Describe(details);
    }

    public Guid Id { get; private set; }
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public string? Link { get; private set; }

    /// <summary>The start as the operator wrote it: "2026-11-27T20:00" is 20:00 in each group's zone, so it is kept as text.</summary>
    public string StartsAt { get; private set; } = "";

    public string? EndsAt { get; private set; }
    public string Template { get; private set; } = "";

    /// <summary>The countdown's steps (<see cref="CountdownStep.Code"/>), or null for the playbook's default at the start's local time.</summary>
    public string[]? PlanSteps { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevisedAt { get; private set; }

    public void Revise(EventDetails details, DateTimeOffset at)
    {
        Describe(details);
        RevisedAt = at;
    }

    /// <summary>A new description alone: the countdown's posts do not quote it, so they stay as they are.</summary>
    public void Redescribe(string description, DateTimeOffset at)
    {
        Description = description;
        RevisedAt = at;
    }

    private void Describe(EventDetails details)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(details.Title);
        ArgumentException.ThrowIfNullOrWhiteSpace(details.StartsAt);
        (Title, Description, Link, StartsAt, EndsAt, Template) = (details.Title, details.Description, details.Link, details.StartsAt, details.EndsAt, details.Template);
        PlanSteps = details.Plan?.Steps.Select(s => s.Code).ToArray();
    }
}

/// <summary>An event as the operator describes it; a null plan is the playbook's default.</summary>
public sealed record EventDetails(string Title, string Description, string? Link, string StartsAt, string? EndsAt, string Template, CountdownPlan? Plan);

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
