namespace CommunityFunnel.Domain.Orders;

/// <summary>
/// Short payment references. An order id is a version-7 UUID whose leading digits are its creation time, so orders placed
/// together share them; the last 8 hex digits are random, which tells a day's orders apart for a person matching transfers.
/// </summary>
public static class PaymentReferences
{
    public const int Length = 8;

    public static string For(Guid orderId) => orderId.ToString("N")[^Length..].ToUpperInvariant();
}
