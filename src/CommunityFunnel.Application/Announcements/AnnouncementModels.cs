using CommunityFunnel.Domain.Announcements;

namespace CommunityFunnel.Application.Announcements;

public sealed record ChannelInput(ChannelKind Kind, string? Name = null, string? Url = null, string? Key = null, string? ChatId = null, string? Token = null, string? Secret = null);

public sealed record ChannelRow(Guid Id, Guid GroupId, ChannelKind Kind, string Name, string Hint, string? ChatId, bool IsActive);

public sealed record AnnouncementInput(IReadOnlyList<Guid>? GroupIds, string? Text, DateTimeOffset? SendAt = null);

public sealed record DeliveryRow(
    Guid Id,
    Guid ChannelId,
    ChannelKind Kind,
    Guid GroupId,
    DeliveryStatus Status,
    DateTimeOffset DueAt,
    DateTimeOffset? SentAt,
    int Attempts,
    string LastResponse)
{
    /// <summary>How long after its due time the post left, in milliseconds.</summary>
    public double? LatenessMs => SentAt is { } sent ? (sent - DueAt).TotalMilliseconds : null;
}
