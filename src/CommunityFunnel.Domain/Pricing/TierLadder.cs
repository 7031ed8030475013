using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Pricing;

/// <summary>The Low, Mid and High price bands of one currency, checked to ascend without overlapping.</summary>
public sealed class TierLadder
{
    public const decimal MaxPrice = 10_000_000m;

    private TierLadder(string currency, IReadOnlyList<PriceBand> bands)
    {
        Currency = currency;
        Bands = bands;
    }

    public string Currency { get; }
    public IReadOnlyList<PriceBand> Bands { get; }

    public PriceBand BandFor(FunnelStage tier) => Bands.Single(b => b.Tier == tier);

    /// <summary>The paid tier a price falls in, or null for a price in a gap between bands or below the Low band.</summary>
    public FunnelStage? TierOf(decimal price) => Bands.FirstOrDefault(b => b.Contains(price))?.Tier;

    /// <summary>Builds a ladder from one band per paid tier, or explains every way it is wrong.</summary>
    public static (TierLadder? Ladder, IReadOnlyList<RuleViolation> Errors) Create(string currency, IEnumerable<PriceBand> bands)
    {
        var errors = new List<RuleViolation>();
        var byTier = bands.ToList();
        foreach (var tier in FunnelStages.PaidTiers)
        {
            var count = byTier.Count(b => b.Tier == tier);
            if (count != 1)
            {
                errors.Add(new RuleViolation("band_missing", $"The {currency} ladder needs exactly one {tier} band (found {count}).", Field(tier, "min")));
            }
        }

        if (byTier.Any(b => !b.Tier.IsPaidTier()))
        {
            errors.Add(new RuleViolation("band_not_paid_tier", "Only the Low, Mid and High tiers have price bands.", "tier"));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var ordered = FunnelStages.PaidTiers.Select(t => byTier.Single(b => b.Tier == t) with { Currency = currency }).ToList();
        foreach (var band in ordered)
        {
            CheckBand(band, errors);
        }

        for (var i = 1; i < ordered.Count; i++)
        {
            CheckOrder(ordered[i - 1], ordered[i], errors);
        }

        return errors.Count > 0 ? (null, errors) : (new TierLadder(currency, ordered), errors);
    }

    /// <summary>The playbook's bands: CNY follows the article (9.9 / 29.9 / 99 trial products; 100 to 3,000 mid; 3,000+ high).</summary>
    public static IReadOnlyList<PriceBand> DefaultBands(string currency) => currency switch
    {
        "CNY" => Ladder(currency, 1m, 100m, 3_000m),
        "JPY" => Ladder(currency, 100m, 2_000m, 50_000m),
        "KRW" => Ladder(currency, 1_000m, 20_000m, 500_000m),
        _ => Ladder(currency, 1m, 20m, 400m), // EUR, USD and other major currencies: trial under 20, premium from 400
    };

    private static PriceBand[] Ladder(string currency, decimal low, decimal mid, decimal high) =>
    [
        new(currency, FunnelStage.Low, low, mid),
        new(currency, FunnelStage.Mid, mid, high),
        new(currency, FunnelStage.High, high, null),
    ];

    private static void CheckBand(PriceBand band, List<RuleViolation> errors)
    {
        if (band.MinPrice <= 0)
        {
            errors.Add(new RuleViolation("band_min_not_positive", $"The {band.Tier} band must start above zero.", Field(band.Tier, "min")));
        }

        if (band.MinPrice > MaxPrice || band.MaxPrice > MaxPrice)
        {
            errors.Add(new RuleViolation("band_too_large", $"Prices above {MaxPrice:N0} are not supported.", Field(band.Tier, "max")));
        }

        if (band.Tier == FunnelStage.High)
        {
            if (band.MaxPrice is not null)
            {
                errors.Add(new RuleViolation("band_high_bounded", "The High band is open-ended: leave its upper bound empty.", Field(band.Tier, "max")));
            }
        }
        else if (band.MaxPrice is null)
        {
            errors.Add(new RuleViolation("band_max_required", $"The {band.Tier} band needs an upper bound.", Field(band.Tier, "max")));
        }
        else if (band.MaxPrice <= band.MinPrice)
        {
            errors.Add(new RuleViolation("band_empty", $"The {band.Tier} band must end above where it starts ({band.MinPrice:0.##}).", Field(band.Tier, "max")));
        }
    }

    private static void CheckOrder(PriceBand lower, PriceBand upper, List<RuleViolation> errors)
    {
        if (upper.MinPrice <= lower.MinPrice)
        {
            errors.Add(new RuleViolation("bands_descending",
                $"The {upper.Tier} band must start above the {lower.Tier} band (starts at {lower.MinPrice:0.##}).", Field(upper.Tier, "min")));
        }
        else if (lower.MaxPrice is { } lowerMax && upper.MinPrice < lowerMax)
        {
            errors.Add(new RuleViolation("bands_overlap",
                $"The {upper.Tier} band (from {upper.MinPrice:0.##}) overlaps the {lower.Tier} band (up to {lowerMax:0.##}).", Field(upper.Tier, "min")));
        }
    }

    private static string Field(FunnelStage tier, string bound) => $"{tier.ToString().ToLowerInvariant()}.{bound}";
}
