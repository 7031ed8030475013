using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Pricing;

public sealed record ProductSpec(string Name, string Description, FunnelStage Tier, decimal Price, string Currency, ProductKind Kind)
{
    /// <summary>
    /// Normalizes and checks a product. A profit product's price must sit inside its tier's band; a traffic product
    /// may be cheaper (a 9.9 trial pack in a band that starts higher) but never above the band.
    /// </summary>
    public static (ProductSpec Spec, IReadOnlyList<RuleViolation> Errors) Validate(
        string? name,
        string? description,
        FunnelStage tier,
        decimal price,
        string? currency,
        ProductKind kind,
        Func<string, TierLadder?> ladderFor)
    {
        var errors = new List<RuleViolation>();
        errors.AddIfAny(TextRules.CheckName(name, "name", Product.NameMaxLength, out var cleanName));
        errors.AddIfAny(TextRules.CheckOptionalText(description, "description", Product.DescriptionMaxLength, out var cleanDescription));
        errors.AddIfAny(Currencies.Check(currency, "currency", out var cleanCurrency));
        if (!tier.IsPaidTier())
        {
            errors.Add(new RuleViolation("invalid_tier", "Tier must be Low, Mid or High.", "tier"));
        }

        if (!Enum.IsDefined(kind))
        {
            errors.Add(new RuleViolation("invalid_kind", "Kind must be Traffic or Profit.", "kind"));
        }

        if (price <= 0)
        {
            errors.Add(new RuleViolation("price_not_positive", "Price must be greater than zero.", "price"));
        }
        else if (price > TierLadder.MaxPrice || decimal.Round(price, 2) != price)
        {
            errors.Add(new RuleViolation("invalid_price", $"Price must have at most two decimals and be at most {TierLadder.MaxPrice:N0}.", "price"));
        }
        else if (errors.Count == 0)
        {
            CheckBand(tier, price, cleanCurrency, kind, ladderFor(cleanCurrency), errors);
        }

        return (new ProductSpec(cleanName, cleanDescription, tier, price, cleanCurrency, kind), errors);
    }

    private static void CheckBand(FunnelStage tier, decimal price, string currency, ProductKind kind, TierLadder? ladder, List<RuleViolation> errors)
    {
        if (ladder is null)
        {
            errors.Add(new RuleViolation("no_price_ladder", $"No price ladder is configured for {currency}; an admin must set one first.", "currency"));
            return;
        }

        var band = ladder.BandFor(tier);
        var fits = kind == ProductKind.Traffic ? price > 0 && (band.MaxPrice is null || price < band.MaxPrice) : band.Contains(price);
        if (!fits)
        {
            var hint = kind == ProductKind.Traffic ? " Traffic products may be cheaper, never dearer." : " Mark it a traffic product to price it below the band.";
            errors.Add(new RuleViolation("price_outside_band",
                $"A {tier} product must cost {band.Describe()}; {price:0.##} is outside that band.{(price < band.MinPrice ? hint : "")}", "price"));
        }
    }
}
