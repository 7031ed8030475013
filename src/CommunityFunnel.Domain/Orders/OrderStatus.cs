namespace CommunityFunnel.Domain.Orders;

public enum OrderStatus
{
    Pending,
    Paid,
    Refunded,
    Cancelled,

    /// <summary>A flash-sale reservation not paid in time; its units went back on sale.</summary>
    Expired,

    /// <summary>A group-buy that closed below its minimum.</summary>
    Voided,

    /// <summary>A gift pack given at no charge (the promotion day's): never revenue, never a paid tier.</summary>
    Gifted,
}
