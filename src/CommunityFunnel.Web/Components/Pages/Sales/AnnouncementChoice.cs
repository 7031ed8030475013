using CommunityFunnel.Application.Sales;

namespace CommunityFunnel.Web.Components.Pages.Sales;

/// <summary>The announcement options a sale form edits; a teaser an hour before and "live now" are on unless the operator turns them off.</summary>
public sealed class AnnouncementChoice
{
    public static readonly IReadOnlyList<int> TeaserLeads = [24 * 60, 3 * 60, 60, 10];

    public bool Teaser { get; set; } = true;
    public int TeaserMinutes { get; set; } = 60;
    public bool LiveNow { get; set; } = true;
    public bool LowStock { get; set; }
    public int LowStockAt { get; set; } = 5;
    public bool SoldOut { get; set; }

    /// <summary>What the service takes, or null when nothing is to be posted; stock posts only for flash sales.</summary>
    public SaleAnnouncementInput? ToInput(Uri siteBase, bool flashSale)
    {
        var input = new SaleAnnouncementInput(siteBase, Teaser ? [TeaserMinutes] : [], LiveNow,
            flashSale && LowStock ? LowStockAt : null, flashSale && SoldOut);
        return input.Announcements.Any ? input : null;
    }
}
