namespace CommunityFunnel.Domain.Orders;

/// <summary>One refund of a paid order: money given back, and the units taken back when refunded by units.</summary>
public sealed class OrderRefund
{
    public const int MaxRefundedByLength = 256;

    private OrderRefund()
    {
    }

    public OrderRefund(Guid orderId, decimal amount, int quantity, RefundBasis basis, DateTimeOffset refundedAt, RefundOrigin? origin)
    {
        Id = Guid.CreateVersion7(refundedAt);
        OrderId = orderId;
        Amount = amount;
        Quantity = quantity;
        Basis = basis;
        RefundedAt = refundedAt;
        RefundedBy = origin?.By;
        IdempotencyKey = origin?.IdempotencyKey;
    }

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public decimal Amount { get; private set; }

    /// <summary>Units taken back; 0 for a refund by amount.</summary>
    public int Quantity { get; private set; }

    /// <summary>How it was asked for, so a retried request can be told from a different one with the same key.</summary>
    public RefundBasis Basis { get; private set; }
    public DateTimeOffset RefundedAt { get; private set; }

    /// <summary>Who refunded; null for refunds recorded before this was kept.</summary>
    public string? RefundedBy { get; private set; }

    /// <summary>The client's key: a retried request with it finds this refund instead of refunding again.</summary>
    public string? IdempotencyKey { get; private set; }
}
