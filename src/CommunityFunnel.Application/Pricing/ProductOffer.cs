using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Pricing;

namespace CommunityFunnel.Application.Pricing;

/// <summary>Whether a product may be sold in a group: it exists, is active, and is priced in the group's currency.</summary>
internal static class ProductOffer
{
    public static RuleViolation? Problem(Product? product, Group group) =>
        product is null ? new RuleViolation("unknown_product", "No such product.", "productId")
        : !product.IsActive ? new RuleViolation("product_inactive", $"{product.Name} is not on sale (inactive).", "productId")
        : product.Currency != group.Currency
            ? new RuleViolation("currency_mismatch", $"{product.Name} is priced in {product.Currency} but the group trades in {group.Currency}.", "productId")
            : null;
}
