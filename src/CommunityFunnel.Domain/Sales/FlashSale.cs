using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Sales;

/// <summary>
/// A limited-time, limited-stock offer of one product in one group. <see cref="Remaining"/> is the one counter every
/// claim decrements in the database; the sale's terms do not change once created (cancel and create another instead).
/// </summary>
public sealed class FlashSale
{
    private FlashSale()
    {
    }

    public FlashSale(Guid groupId, Guid productId, string currency, FlashSaleTerms terms, Guid? templateId, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        GroupId = groupId;
        ProductId = productId;
        Currency = currency;
        Price = terms.Price;
        Stock = terms.Stock;
        Remaining = terms.Stock;
        PerMemberLimit = terms.PerMemberLimit;
        StartsAt = terms.StartsAt;
        EndsAt = terms.EndsAt;
        PaymentWindow = terms.PaymentWindow;
        MinStage = terms.MinStage;
        TemplateId = templateId;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid GroupId { get; private set; }
    public Guid ProductId { get; private set; }
    public string Currency { get; private set; } = "";
    public decimal Price { get; private set; }
    public int Stock { get; private set; }
    public int Remaining { get; private set; }
    public int PerMemberLimit { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public DateTimeOffset EndsAt { get; private set; }
    public TimeSpan PaymentWindow { get; private set; }
    public FunnelStage MinStage { get; private set; }
    public Guid? TemplateId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }

    public FlashSaleState StateAt(DateTimeOffset now) => StateAt(now, StartsAt, EndsAt, Remaining, CancelledAt is not null);

    public static FlashSaleState StateAt(DateTimeOffset now, DateTimeOffset startsAt, DateTimeOffset endsAt, int remaining, bool cancelled) =>
        cancelled ? FlashSaleState.Cancelled
        : now < startsAt ? FlashSaleState.Upcoming
        : now >= endsAt ? FlashSaleState.Ended
        : remaining <= 0 ? FlashSaleState.SoldOut
        : FlashSaleState.Live;

    /// <summary>Stops a sale that has not ended; orders already placed stay as they are.</summary>
    public bool Cancel(DateTimeOffset at)
    {
        if (CancelledAt is not null || at >= EndsAt)
        {
            return false;
        }

        CancelledAt = at;
        return true;
    }
}
