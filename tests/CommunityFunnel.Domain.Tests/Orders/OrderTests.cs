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

    [Theory]
    [InlineData(0, 9.9)]
    [InlineData(1000, 9.9)]
    [InlineData(1, 0)]
    [InlineData(1, -1)]
    public void Constructor_RefusesImpossibleOrders(int quantity, decimal unitPrice) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new Order(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), FunnelStage.Low, quantity, unitPrice, "CNY", Now));
}
