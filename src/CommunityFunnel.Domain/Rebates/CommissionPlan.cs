using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Rebates;

/// <summary>A paid tier's own percentages, replacing the plan's for orders of that tier.</summary>
public sealed record TierRate(FunnelStage Tier, decimal Level1Percent, decimal Level2Percent);

/// <summary>
/// What referrers earn on the orders of the people they brought, per currency. Level 1 is the buyer's referrer, level 2
/// the referrer's referrer; never more than two levels, the two together at most 100 %, and nothing ever depends on the
/// size of anyone's downline (platform rules and anti-pyramid law).
/// </summary>
public sealed class CommissionPlan
{
    public const int DefaultHoldDays = 7;
    public const int MaxHoldDays = 365;

    private CommissionPlan()
    {
    }

    public CommissionPlan(string currency, CommissionTerms terms)
    {
        Currency = currency;
        Change(terms);
    }

    public string Currency { get; private set; } = "";
    public decimal Level1Percent { get; private set; }
    public decimal Level2Percent { get; private set; }
    public int HoldDays { get; private set; }
    public decimal? MinOrderAmount { get; private set; }
    public decimal? PerOrderCap { get; private set; }
    public bool IncludeTraffic { get; private set; }
    public bool IncludeFlashSales { get; private set; }
    public List<TierRate> Tiers { get; private set; } = [];
    public uint Version { get; private set; }

    public void Change(CommissionTerms terms)
    {
        if (CommissionTerms.Check(terms).Count > 0)
        {
            throw new ArgumentException("The terms break the plan's rules; check them with CommissionTerms.Check first.", nameof(terms));
        }

        (Level1Percent, Level2Percent, HoldDays, MinOrderAmount, PerOrderCap, IncludeTraffic, IncludeFlashSales) =
            (terms.Level1Percent, terms.Level2Percent, terms.HoldDays, terms.MinOrderAmount, terms.PerOrderCap, terms.IncludeTraffic, terms.IncludeFlashSales);
        Tiers = [.. terms.Tiers.OrderBy(t => t.Tier)];
    }

    public CommissionTerms Terms => new(Level1Percent, Level2Percent, HoldDays, MinOrderAmount, PerOrderCap, IncludeTraffic, IncludeFlashSales, Tiers);

    /// <summary>The two percentages for an order of <paramref name="tier"/>: the tier's override, or the plan's.</summary>
    public (decimal Level1, decimal Level2) RatesFor(FunnelStage tier) =>
        Tiers.FirstOrDefault(t => t.Tier == tier) is { } own ? (own.Level1Percent, own.Level2Percent) : (Level1Percent, Level2Percent);
}

public sealed record CommissionTerms(
    decimal Level1Percent,
    decimal Level2Percent,
    int HoldDays,
    decimal? MinOrderAmount,
    decimal? PerOrderCap,
    bool IncludeTraffic,
    bool IncludeFlashSales,
    IReadOnlyList<TierRate> Tiers)
{
    /// <summary>Every rule the terms break, each with its field; empty when they may be saved.</summary>
    public static IReadOnlyList<RuleViolation> Check(CommissionTerms terms)
    {
        var errors = new List<RuleViolation>();
        CheckRates(terms.Level1Percent, terms.Level2Percent, "", errors);
        if (terms.HoldDays is < 0 or > CommissionPlan.MaxHoldDays)
        {
            errors.Add(new RuleViolation("invalid_hold_days", $"The hold must be between 0 and {CommissionPlan.MaxHoldDays} days.", "holdDays"));
        }

        if (terms.MinOrderAmount is { } minimum && (minimum < 0 || decimal.Round(minimum, 2) != minimum))
        {
            errors.Add(new RuleViolation("invalid_min_order_amount", "The minimum order amount must be zero or more, with at most two decimals.", "minOrderAmount"));
        }

        if (terms.PerOrderCap is { } cap && (cap <= 0 || decimal.Round(cap, 2) != cap))
        {
            errors.Add(new RuleViolation("invalid_per_order_cap", "The cap per order must be more than zero, with at most two decimals.", "perOrderCap"));
        }

        foreach (var tier in terms.Tiers)
        {
            var prefix = $"tiers.{tier.Tier.ToString().ToLowerInvariant()}.";
            if (!tier.Tier.IsPaidTier())
            {
                errors.Add(new RuleViolation("invalid_tier", "Tier overrides are for the paid tiers: Low, Mid or High.", "tiers"));
            }
            else
            {
                CheckRates(tier.Level1Percent, tier.Level2Percent, prefix, errors);
            }
        }

        if (terms.Tiers.GroupBy(t => t.Tier).Any(g => g.Count() > 1))
        {
            errors.Add(new RuleViolation("duplicate_tier", "Each tier may be overridden once.", "tiers"));
        }

        return errors;
    }

    private static void CheckRates(decimal level1, decimal level2, string prefix, List<RuleViolation> errors)
    {
        if (level1 is < 0 or > 100 || decimal.Round(level1, 2) != level1)
        {
            errors.Add(new RuleViolation("invalid_percent", "Level 1 must be a percentage from 0 to 100, with at most two decimals.", prefix + "level1Percent"));
        }

        if (level2 is < 0 or > 100 || decimal.Round(level2, 2) != level2)
        {
            errors.Add(new RuleViolation("invalid_percent", "Level 2 must be a percentage from 0 to 100, with at most two decimals.", prefix + "level2Percent"));
        }
        else if (level2 > level1)
        {
            errors.Add(new RuleViolation("level2_above_level1", "Level 2 may not pay more than level 1.", prefix + "level2Percent"));
        }
        else if (level1 + level2 > 100)
        {
            errors.Add(new RuleViolation("rates_above_100", "Level 1 and level 2 together may not exceed 100 %.", prefix + "level2Percent"));
        }
    }
}
