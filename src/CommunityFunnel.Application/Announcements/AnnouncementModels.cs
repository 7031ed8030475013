using CommunityFunnel.Domain.Announcements;

namespace CommunityFunnel.Application.Announcements;

public sealed record ChannelInput(ChannelKind Kind, string? Name = null, string? Url = null, string? Key = null, string? ChatId = null, string? Token = null, string? Secret = null);

public sealed record ChannelRow(Guid Id, Guid GroupId, ChannelKind Kind, string Name, string Hint, string? ChatId, bool IsActive, bool IsPaused);

/// <summary>A channel after an operator paused, resumed, deactivated, activated or deleted it, and how many waiting deliveries that cancelled.</summary>
public sealed record ChannelChanged(ChannelRow Channel, int DeliveriesCancelled);

/// <param name="Image">A picture to send with the text: the address (or path) of a stored picture, such as a product's, or null.</param>
public sealed record AnnouncementInput(IReadOnlyList<Guid>? GroupIds, string? Text, DateTimeOffset? SendAt = null, string? Image = null);

/// <summary>What cancelling an announcement did: posts called off, and posts already out (or going out) that stay.</summary>
public sealed record CancelledAnnouncement(int PostsCancelled, int PostsAlreadyOut);

/// <summary>One post of an announcement as its delivery log shows it: what it says, when (in the group's zone), and how each channel took it.</summary>
public sealed record PostLog(
    Guid PostId,
    Guid GroupId,
    string GroupName,
    string TimeZoneId,
    string Text,
    DateTimeOffset DueAt,
    bool IsCancelled,
    IReadOnlyList<DeliveryRow> Deliveries)
{
    /// <summary>The picture sent with the text (root-relative), or null.</summary>
    public string? ImageUrl { get; init; }
}

public sealed record DeliveryRow(
    Guid Id,
    Guid PostId,
    Guid ChannelId,
    ChannelKind Kind,
    string ChannelName,
    bool ChannelDeleted,
    Guid GroupId,
    string GroupName,
    DeliveryStatus Status,
    DateTimeOffset DueAt,
    DateTimeOffset? SentAt,
    int Attempts,
    string LastResponse)
{
    /// <summary>How long after its due time the post left, in milliseconds.</summary>
    public double? LatenessMs => SentAt is { } sent ? (sent - DueAt).TotalMilliseconds : null;
}
