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

    [Theory]
    [InlineData(0, 9.9)]
    [InlineData(1000, 9.9)]
    [InlineData(1, 0)]
    [InlineData(1, -1)]
    public void Constructor_RefusesImpossibleOrders(int quantity, decimal unitPrice) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new Order(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), FunnelStage.Low, quantity, unitPrice, "CNY", Now));
}
