using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Orders;

public sealed record OrderPaid(
    Guid OrderId, Guid MemberId, Guid GroupId, Guid ProductId, FunnelStage Tier, decimal Amount, string Currency, Guid? FlashSaleId, DateTimeOffset OccurredAt)
    : IDomainEvent;

/// <summary>
/// A refund, full or partial: <see cref="Amount"/> is this refund's, <see cref="RefundedTotal"/> everything refunded
/// of <see cref="PaidAmount"/> so far, so reactions can take back in proportion without rounding drift.
/// </summary>
public sealed record OrderRefunded(
    Guid OrderId, Guid RefundId, Guid MemberId, Guid GroupId, decimal Amount, decimal RefundedTotal, decimal PaidAmount, string Currency,
    bool IsFull, DateTimeOffset OccurredAt)
    : IDomainEvent;
