namespace CommunityFunnel.Domain.Sales;

/// <summary>Derived from the clock and the stock, never stored: no job has to flip a sale open or closed on time.</summary>
public enum FlashSaleState
{
    Upcoming,
    Live,
    SoldOut,
    Ended,
    Cancelled,
}
