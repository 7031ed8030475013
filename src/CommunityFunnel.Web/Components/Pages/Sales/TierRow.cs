using CommunityFunnel.Domain.Sales;

namespace CommunityFunnel.Web.Components.Pages.Sales;

/// <summary>One editable tier row of a group-buy form.</summary>
public sealed class TierRow(int people, decimal price)
{
    public int People { get; set; } = people;
    public decimal Price { get; set; } = price;

    public GroupBuyTier ToTier() => new(People, Price);

    /// <summary>The playbook's ladder, a starting point to edit.</summary>
    public static List<TierRow> Starter() => [new(2, 90m), new(3, 85m), new(5, 75m)];
}
