namespace CommunityFunnel.Domain.Orders;

/// <summary>One refund of a paid order: money given back, and the units taken back when refunded by units.</summary>
public sealed class OrderRefund
{
    private OrderRefund()
    {
    }

    public OrderRefund(Guid orderId, decimal amount, int quantity, DateTimeOffset refundedAt)
    {
        Id = Guid.CreateVersion7(refundedAt);
        OrderId = orderId;
        Amount = amount;
        Quantity = quantity;
        RefundedAt = refundedAt;
    }

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public decimal Amount { get; private set; }

    /// <summary>Units taken back; 0 for a refund by amount.</summary>
    public int Quantity { get; private set; }
    public DateTimeOffset RefundedAt { get; private set; }
}
