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
    FunnelStage MinStage = FunnelStage.Free);

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
    DateTimeOffset ClosesAt);

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
