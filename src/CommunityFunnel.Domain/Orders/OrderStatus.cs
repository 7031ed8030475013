namespace CommunityFunnel.Domain.Orders;

public enum OrderStatus
{
    Pending,
    Paid,
    Refunded,
    Cancelled,
}
