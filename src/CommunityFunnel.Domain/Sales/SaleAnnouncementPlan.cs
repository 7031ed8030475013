namespace CommunityFunnel.Domain.Sales;

/// <summary>
/// What a sale announces about itself, kept with the sale: the posts due at fixed times are written when the sale is
/// created; "N left" and "sold out" are written when claims get there, and need this to know whether and how.
/// The sale's id is also the announcement id of its posts, so the delivery log and cancellation work as for any post.
/// </summary>
public sealed class SaleAnnouncementPlan
{
    private SaleAnnouncementPlan()
    {
    }

    public SaleAnnouncementPlan(Guid saleId, SaleKind kind, Guid groupId, SaleAnnouncements announcements, string link, DateTimeOffset createdAt)
    {
        SaleId = saleId;
        Kind = kind;
        GroupId = groupId;
        TeaserMinutesBefore = [.. announcements.TeaserMinutesBefore];
        LiveNow = announcements.LiveNow;
        LowStockAt = announcements.LowStockAt;
        SoldOut = announcements.SoldOut;
        Link = link;
        CreatedAt = createdAt;
    }

    public Guid SaleId { get; private set; }
    public SaleKind Kind { get; private set; }
    public Guid GroupId { get; private set; }
    public int[] TeaserMinutesBefore { get; private set; } = [];
    public bool LiveNow { get; private set; }
    public int? LowStockAt { get; private set; }
    public bool SoldOut { get; private set; }

    /// <summary>The member page every post carries (on the public base URL).</summary>
    public string Link { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>
/// One post a sale made about itself, keyed by (sale, trigger): "teaser:60", "live", "low_stock", "sold_out". The key
/// is what makes each of them happen once, however many claims or sweeps race to write it.
/// </summary>
public sealed class SalePost
{
    public const string Live = "live";
    public const string LowStock = "low_stock";
    public const string SoldOut = "sold_out";

    private SalePost()
    {
    }

    public SalePost(Guid saleId, string trigger, Guid postId)
    {
        SaleId = saleId;
        Trigger = trigger;
        PostId = postId;
    }

    public Guid SaleId { get; private set; }
    public string Trigger { get; private set; } = "";
    public Guid PostId { get; private set; }

    public static string Teaser(int minutesBefore) => $"teaser:{minutesBefore}";
}
