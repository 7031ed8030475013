namespace CommunityFunnel.Domain.Sales;

/// <summary>How many units one member holds in one flash sale: the row the per-member limit is enforced on, atomically.</summary>
public sealed class FlashSaleBuyer
{
    private FlashSaleBuyer()
    {
    }

    public Guid FlashSaleId { get; private set; }
    public Guid MemberId { get; private set; }
    public int Quantity { get; private set; }
}
