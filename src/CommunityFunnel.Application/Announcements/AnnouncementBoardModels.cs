using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Sales;

namespace CommunityFunnel.Application.Announcements;

/// <summary>One post on the timeline: where, when, what, and how its deliveries stand.</summary>
public sealed record TimelineRow(
    Guid PostId,
    Guid AnnouncementId,
    Guid GroupId,
    string GroupName,
    string TimeZoneId,
    DateTimeOffset DueAt,
    string Text,
    IReadOnlyList<DeliveryStatus> Deliveries);

/// <summary>An assisted post waiting for the operator to paste it into the group.</summary>
public sealed record AssistedItem(Guid DeliveryId, Guid GroupId, string GroupName, string TimeZoneId, string ChannelName, string Text, DateTimeOffset DueAt, bool IsOverdue)
{
    /// <summary>The picture to paste with the text (root-relative), or null.</summary>
    public string? ImageUrl { get; init; }
}

/// <summary>A flash sale or group-buy on the timeline: where, what, from when to when, and the member page it links to.</summary>
public sealed record TimelineSale(
    Guid SaleId,
    SaleKind Kind,
    Guid GroupId,
    string GroupName,
    string TimeZoneId,
    string ProductName,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    bool IsCancelled)
{
    public string MemberPath => SalePages.PathOf(Kind, SaleId);
}
