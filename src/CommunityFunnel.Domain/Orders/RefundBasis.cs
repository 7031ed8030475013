namespace CommunityFunnel.Domain.Orders;

/// <summary>How a refund was asked for: everything left, an amount, or a number of units.</summary>
public enum RefundBasis
{
    /// <summary>Everything not refunded yet.</summary>
    Remainder,
    Amount,
    Units,
}
