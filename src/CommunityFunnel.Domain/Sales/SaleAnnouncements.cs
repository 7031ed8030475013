using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Sales;

/// <summary>
/// The posts a sale makes about itself, each optional: teasers before the start, "live now" at the start, and for flash
/// sales "N left" once stock falls to <see cref="LowStockAt"/> and "sold out" when the last unit goes.
/// </summary>
public sealed record SaleAnnouncements(IReadOnlyList<int> TeaserMinutesBefore, bool LiveNow, int? LowStockAt, bool SoldOut)
{
    public const int MaxTeasers = 5;
    public const int MaxTeaserMinutes = 7 * 24 * 60;

    public static SaleAnnouncements None { get; } = new([], LiveNow: false, LowStockAt: null, SoldOut: false);

    public bool Any => TeaserMinutesBefore.Count > 0 || LiveNow || LowStockAt is not null || SoldOut;

    /// <summary>Every problem at once; <paramref name="stock"/> is the flash sale's stock, or null for a group-buy (no stock to count down).</summary>
    public IReadOnlyList<RuleViolation> Check(int? stock)
    {
        var errors = new List<RuleViolation>();
        if (TeaserMinutesBefore.Count > MaxTeasers)
        {
            errors.Add(new RuleViolation("too_many_teasers", $"At most {MaxTeasers} teaser posts.", "announce.teaserMinutesBefore"));
        }

        if (TeaserMinutesBefore.Any(m => m is < 1 or > MaxTeaserMinutes))
        {
            errors.Add(new RuleViolation("invalid_teaser", $"A teaser goes out 1 minute to {MaxTeaserMinutes / 60 / 24} days before the start.", "announce.teaserMinutesBefore"));
        }

        if (stock is null && (LowStockAt is not null || SoldOut))
        {
            errors.Add(new RuleViolation("no_stock_posts", "\"N left\" and \"sold out\" posts are for flash sales; a group-buy has no stock.", "announce.lowStockAt"));
        }
        else if (LowStockAt is { } at && (at < 1 || at >= stock))
        {
            errors.Add(new RuleViolation("invalid_low_stock", $"\"N left\" needs a number from 1 to {stock - 1} (below the stock of {stock}).", "announce.lowStockAt"));
        }

        return errors;
    }
}
