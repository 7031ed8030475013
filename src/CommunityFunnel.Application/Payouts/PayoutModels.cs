using CommunityFunnel.Domain.Payouts;

namespace CommunityFunnel.Application.Payouts;

/// <summary>A partner's line as people read it: who, how much, the reference on the transfer, and whether it is held back.</summary>
public sealed record PayoutItemView(Guid MemberId, string Name, string? Phone, decimal Amount, string Reference, PayoutItemStatus Status, string? HoldReason);

/// <param name="Total">What the batch pays: its included items.</param>
public sealed record PayoutDetails(
    Guid Id,
    string Currency,
    decimal Minimum,
    PayoutStatus Status,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? PaidAt,
    string? PaidBy,
    DateTimeOffset? CancelledAt,
    decimal Total,
    IReadOnlyList<PayoutItemView> Items);

/// <param name="Total">What the batch pays: its included items.</param>
public sealed record PayoutSummary(
    Guid Id, string Currency, decimal Minimum, PayoutStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt, int Partners, int HeldBack, decimal Total);
