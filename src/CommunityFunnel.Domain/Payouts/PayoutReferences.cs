namespace CommunityFunnel.Domain.Payouts;

/// <summary>
/// What a partner sees on the transfer, so they (and the bank) can tell it from a shop payment: "PO-" and the last, random,
/// 8 digits of the item's id, as an order's payment reference takes its own. The database keeps them unique.
/// </summary>
public static class PayoutReferences
{
    public const string Prefix = "PO-";
    public const int Length = 11;

    public static string For(Guid payoutItemId) => Prefix + payoutItemId.ToString("N")[^8..].ToUpperInvariant();
}
