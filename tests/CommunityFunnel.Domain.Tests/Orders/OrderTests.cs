using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;

namespace CommunityFunnel.Domain.Tests.Orders;

public sealed class OrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static Order NewOrder() => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), FunnelStage.Low, 2, 9.9m, "CNY", Now);

    [Fact]
    public void MarkPaid_IsAlreadyDone_WhenPaidTwice()
    {
        var order = NewOrder();

        Assert.Equal(OrderChangeOutcome.Changed, order.MarkPaid(Now));
        Assert.Equal(OrderChangeOutcome.AlreadyDone, order.MarkPaid(Now.AddMinutes(1)));
        Assert.Equal(Now, order.PaidAt);
        Assert.Equal(19.8m, order.Total);
    }

    [Fact]
    public void Refund_IsNotAllowed_WhenOrderWasNeverPaid()
    {
        var order = NewOrder();

        Assert.Equal(OrderChangeOutcome.NotAllowed, order.Refund(Now));
        Assert.Equal(OrderStatus.Pending, order.Status);
    }

    [Fact]
    public void Cancel_IsNotAllowed_WhenOrderIsPaid()
    {
        var order = NewOrder();
        order.MarkPaid(Now);

        Assert.Equal(OrderChangeOutcome.NotAllowed, order.Cancel(Now));
        Assert.Equal(OrderChangeOutcome.Changed, order.Refund(Now));
        Assert.Equal(OrderChangeOutcome.NotAllowed, order.MarkPaid(Now));
    }

    [Fact]
    public void ReportPaid_WaitsForTheOperator_AndCountsOnce()
    {
        var order = NewOrder();

        Assert.Equal(OrderChangeOutcome.Changed, order.ReportPaid(Now, priceIsFinal: true));
        Assert.Equal(OrderChangeOutcome.AlreadyDone, order.ReportPaid(Now.AddMinutes(1), priceIsFinal: true));
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal(Now, order.PaymentReportedAt);
        Assert.Equal(OrderChangeOutcome.Changed, order.MarkPaid(Now.AddMinutes(5)));
        Assert.Equal(OrderChangeOutcome.AlreadyDone, order.ReportPaid(Now.AddMinutes(6), priceIsFinal: true));
    }

    [Fact]
    public void ReportPaid_IsNotAllowed_BeforeThePriceIsFinal_OrOnceCancelled()
    {
        var groupBuyOrder = NewOrder();
        var cancelled = NewOrder();
        cancelled.Cancel(Now);

        Assert.Equal(OrderChangeOutcome.NotAllowed, groupBuyOrder.ReportPaid(Now, priceIsFinal: false));
        Assert.Equal(OrderChangeOutcome.NotAllowed, cancelled.ReportPaid(Now, priceIsFinal: true));
        Assert.Null(groupBuyOrder.PaymentReportedAt);
        Assert.Null(cancelled.PaymentReportedAt);
    }

    [Fact]
    public void PaymentReference_IsTheIdsRandomTail_InCapitals()
    {
        var first = NewOrder();
        var second = NewOrder();

        Assert.Equal(8, first.PaymentReference.Length);
        Assert.Equal(first.Id.ToString("N")[^8..].ToUpperInvariant(), first.PaymentReference);
        Assert.NotEqual(first.PaymentReference, second.PaymentReference); // created in the same millisecond: the time prefix is shared
    }

    [Fact]
    public void RefundableUnits_AreLimitedByTheMoneyLeft_WhenPartWasRefundedByAmount()
    {
        var order = NewOrder(); // 2 × 9.90
        order.MarkPaid(Now);

        order.RefundAmount(1m, Now, new RefundOrigin("Ada"));

        Assert.Equal((2, 1, 18.8m), (order.RefundableQuantity, order.RefundableUnits, order.RefundableAmount));
        Assert.Throws<ArgumentOutOfRangeException>(() => order.RefundUnits(2, Now));
        Assert.Equal(OrderChangeOutcome.Changed, order.RefundUnits(1, Now, new RefundOrigin("Bo", "key-1")));
        Assert.Equal(0, order.RefundableUnits);
        Assert.Equal(
            [(RefundBasis.Amount, 1m, 0, "Ada", (string?)null), (RefundBasis.Units, 9.9m, 1, "Bo", "key-1")],
            order.Refunds.Select(r => (r.Basis, r.Amount, r.Quantity, r.RefundedBy, r.IdempotencyKey)));
    }

    [Fact]
    public void Refund_RecordsTheRemainder_WithWhoAskedForIt()
    {
        var order = NewOrder();
        order.MarkPaid(Now);
        order.RefundUnits(1, Now);

        Assert.Equal(OrderChangeOutcome.Changed, order.Refund(Now, new RefundOrigin("Ada", "key-2")));

        Assert.Equal((OrderStatus.Refunded, 19.8m, 2), (order.Status, order.RefundedAmount, order.RefundedQuantity));
        var last = order.Refunds[^1];
        Assert.Equal((RefundBasis.Remainder, 9.9m, 1, "Ada", "key-2"), (last.Basis, last.Amount, last.Quantity, last.RefundedBy, last.IdempotencyKey));
        Assert.Null(order.Refunds[0].RefundedBy);
    }

    [Theory]
    [InlineData(0, 9.9)]
    [InlineData(1000, 9.9)]
    [InlineData(1, 0)]
    [InlineData(1, -1)]
    public void Constructor_RefusesImpossibleOrders(int quantity, decimal unitPrice) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new Order(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), FunnelStage.Low, quantity, unitPrice, "CNY", Now));
}
