using CommunityFunnel.Domain.Payouts;

namespace CommunityFunnel.Application.Payouts;

/// <summary>A partner's line as people read it: who, how much, the reference on the transfer, and whether it is held back.</summary>
/// <param name="AvailableNow">
/// The partner's available balance in the batch's currency as the ledger stands now, not when the batch was made: a clawback
/// since then shows here, as less than <paramref name="Amount"/> or below zero.
/// </param>
public sealed record PayoutItemView(Guid MemberId, string Name, string? Phone, decimal Amount, string Reference, PayoutItemStatus Status, string? HoldReason,
    decimal AvailableNow);

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
