using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Pricing;

namespace CommunityFunnel.Domain.Sales;

/// <summary>The one rule every sale price follows: above zero, at most two decimals, within the supported range.</summary>
public static class Money
{
    public static RuleViolation? CheckPrice(decimal price, string field)
    {
        if (price <= 0)
        {
            return new RuleViolation("price_not_positive", "Price must be greater than zero.", field);
        }

        return price > TierLadder.MaxPrice || decimal.Round(price, 2) != price
            ? new RuleViolation("invalid_price", $"Price must have at most two decimals and be at most {TierLadder.MaxPrice:N0}.", field)
            : null;
    }
}
