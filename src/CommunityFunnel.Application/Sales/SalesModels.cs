using CommunityFunnel.Application.Common;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Sales;

namespace CommunityFunnel.Application.Sales;

public sealed record FlashSaleInput(
    Guid GroupId,
    Guid ProductId,
    decimal Price,
    int Stock,
    int PerMemberLimit,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int? PaymentMinutes = null,
    FunnelStage MinStage = FunnelStage.Free,
    SaleAnnouncementInput? Announce = null);

public sealed record FlashSaleView(
    Guid Id,
    Guid GroupId,
    string GroupName,
    string GroupTimeZone,
    Guid ProductId,
    string ProductName,
    decimal Price,
    string Currency,
    int Stock,
    int Remaining,
    int PerMemberLimit,
    FunnelStage MinStage,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int PaymentMinutes,
    FlashSaleState State,
    Guid? TemplateId);

/// <summary>A successful claim: units reserved in an order awaiting payment until <see cref="PaymentDueAt"/>.</summary>
public sealed record ClaimResult(Guid OrderId, int Quantity, int? Remaining, DateTimeOffset? PaymentDueAt, bool Replayed);

public sealed record FlashSaleTemplateInput(
    Guid GroupId,
    Guid ProductId,
    IReadOnlyList<DayOfWeek> Days,
    TimeOnly LocalStart,
    int DurationMinutes,
    decimal Price,
    int Stock,
    int PerMemberLimit,
    int? PaymentMinutes = null,
    FunnelStage MinStage = FunnelStage.Free);

public sealed record FlashSaleTemplateView(
    Guid Id,
    Guid GroupId,
    Guid ProductId,
    string ProductName,
    IReadOnlyList<DayOfWeek> Days,
    TimeOnly LocalStart,
    int DurationMinutes,
    decimal Price,
    int Stock,
    int PerMemberLimit,
    FunnelStage MinStage,
    bool IsActive);

public sealed record GroupBuyInput(
    Guid GroupId,
    Guid ProductId,
    IReadOnlyList<GroupBuyTier> Tiers,
    int MinParticipants,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    SaleAnnouncementInput? Announce = null);

public sealed record GroupBuyView(
    Guid Id,
    Guid GroupId,
    string GroupName,
    string GroupTimeZone,
    Guid ProductId,
    string ProductName,
    string Currency,
    IReadOnlyList<GroupBuyTier> Tiers,
    int MinParticipants,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    GroupBuyState State,
    int Participants,
    int Portions,
    decimal CurrentPrice,
    GroupBuyTier? NextTier,
    int? PeopleToNextTier,
    decimal? FinalPrice,
    DateTimeOffset? SettledAt);

public sealed record GroupBuyJoinResult(Guid OrderId, int Quantity, decimal UnitPrice, int Participants);

/// <summary>
/// The posts a sale makes about itself, as the operator chose them. <see cref="SiteBase"/> is where members open the
/// sale (the public base URL, ending in '/'): every post carries the sale's member page on it.
/// </summary>
public sealed record SaleAnnouncementInput(Uri SiteBase, IReadOnlyList<int>? TeaserMinutesBefore = null, bool LiveNow = false, int? LowStockAt = null, bool SoldOut = false)
{
    public SaleAnnouncements Announcements => new(TeaserMinutesBefore ?? [], LiveNow, LowStockAt, SoldOut);
}

/// <summary>When a sale for many groups starts or ends: one instant everywhere, or a wall-clock time ("20:00 on Friday") in each group's own zone.</summary>
public readonly record struct SaleTime(DateTimeOffset? Instant, DateTime? WallClock)
{
    public static SaleTime At(DateTimeOffset instant) => new(instant, null);

    public static SaleTime Local(DateTime wallClock) => new(null, DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified));

    public bool IsGiven => Instant is not null || WallClock is not null;

    public DateTimeOffset In(TimeZoneInfo zone) => Instant ?? (WallClock is { } local ? LocalTimes.ToUtc(local, zone) : default);
}

/// <summary>One flash sale for many groups: shared terms, the product and price per group where they differ (keyed by group id).</summary>
public sealed record BulkFlashSaleInput(
    IReadOnlyList<Guid> GroupIds,
    Guid ProductId,
    decimal Price,
    int Stock,
    int PerMemberLimit,
    SaleTime StartsAt,
    SaleTime EndsAt,
    int? PaymentMinutes = null,
    FunnelStage MinStage = FunnelStage.Free,
    IReadOnlyDictionary<Guid, Guid>? ProductOverrides = null,
    IReadOnlyDictionary<Guid, decimal>? PriceOverrides = null,
    SaleAnnouncementInput? Announce = null);

/// <summary>One group-buy for many groups: shared tiers and window, the product and tiers per group where they differ (keyed by group id).</summary>
public sealed record BulkGroupBuyInput(
    IReadOnlyList<Guid> GroupIds,
    Guid ProductId,
    IReadOnlyList<GroupBuyTier> Tiers,
    int MinParticipants,
    SaleTime OpensAt,
    SaleTime ClosesAt,
    IReadOnlyDictionary<Guid, Guid>? ProductOverrides = null,
    IReadOnlyDictionary<Guid, IReadOnlyList<GroupBuyTier>>? TierOverrides = null,
    SaleAnnouncementInput? Announce = null);

/// <summary>One group's answer in a sale for many groups: the sale created there, or why that group cannot take it.</summary>
public sealed record GroupSaleResult(Guid GroupId, Guid? Id, Failure? Failure);

/// <summary>
/// All or nothing: <see cref="Created"/> when every group got its sale; otherwise nothing was created, the groups that
/// cannot take it carry their failure and the others neither id nor failure.
/// </summary>
public sealed record BulkSaleOutcome(bool Created, IReadOnlyList<GroupSaleResult> Results);
