namespace CommunityFunnel.Domain.Pricing;

/// <summary>Traffic products pull people in (may sit below their tier's band); profit products earn the margin.</summary>
public enum ProductKind
{
    Traffic,
    Profit,
}
