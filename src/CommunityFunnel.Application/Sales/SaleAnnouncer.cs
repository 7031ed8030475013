using System.Globalization;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommunityFunnel.Application.Sales;

/// <summary>
/// Sales announce themselves through the post and delivery machinery. Teasers and "live now" are written with the sale;
/// "N left" and "sold out" by the claim that gets there, or by <see cref="CatchUpAsync"/> if that reaction was lost. Each
/// post's (sale, trigger) key makes it happen once however many claims, instances and sweeps race; cancelling the sale
/// withdraws what has not gone out, under the same per-sale lock, so no stock post slips in after it.
/// </summary>
public sealed class SaleAnnouncer(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    DispatcherSignal dispatcher,
    TimeProvider clock,
    ILogger<SaleAnnouncer> logger)
{
    private const int CatchUpBatch = 100;

    /// <summary>Adds the plan and the posts due at fixed times (teasers, "live now") to the caller's unit of work.</summary>
    internal static void Plan(CommunityFunnelDbContext db, SaleAnnouncementPlan plan, SaleFacts facts, IReadOnlyList<Channel> channels, DateTimeOffset now)
    {
        db.SaleAnnouncementPlans.Add(plan);
        foreach (var minutes in plan.TeaserMinutesBefore.Distinct())
        {
            var dueAt = facts.StartsAt.AddMinutes(-minutes);
            if (dueAt >= now)
            {
                var deadline = Min(dueAt + AnnouncementService.TooLateAfter, facts.StartsAt);
                AddPost(db, plan, SalePost.Teaser(minutes), SalePostTexts.Teaser(facts, dueAt), dueAt, deadline, channels, now);
            }
        }

        if (plan.LiveNow)
        {
            var dueAt = Max(facts.StartsAt, now);
            AddPost(db, plan, SalePost.Live, SalePostTexts.LiveNow(facts, dueAt), dueAt, Min(dueAt + AnnouncementService.TooLateAfter, facts.EndsAt), channels, now);
        }
    }

    /// <summary>
    /// After a claim left the sale at or below its "N left" mark, or sold out: writes that post unless it exists, the sale was
    /// cancelled or is over. Returns whether this call wrote it.
    /// </summary>
    public async Task<bool> PostStockAsync(Guid saleId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(db, saleId, ct);
        var now = clock.GetUtcNow();
        var found = await (
                from s in db.FlashSales
                join p in db.SaleAnnouncementPlans on s.Id equals p.SaleId
                join g in db.Groups on s.GroupId equals g.Id
                join product in db.Products on s.ProductId equals product.Id
                where s.Id == saleId
                select new { Sale = s, Plan = p, Group = g, Product = product.Name })
            .AsNoTracking()
            .SingleOrDefaultAsync(ct);
        if (found is null || found.Sale.StateAt(now) is not (FlashSaleState.Live or FlashSaleState.SoldOut) || found.Group.IsArchived)
        {
            return false;
        }

        var (sale, plan) = (found.Sale, found.Plan);
        var facts = FlashSaleFacts(sale, found.Group, found.Product, plan.Link);
        var (trigger, text) = sale.Remaining == 0
            ? (plan.SoldOut ? (SalePost.SoldOut, SalePostTexts.SoldOut(facts, now)) : default)
            : (sale.Remaining <= plan.LowStockAt ? (SalePost.LowStock, SalePostTexts.LowStock(facts, sale.Remaining, now)) : default);
        if (trigger is null)
        {
            return false;
        }

        var channels = await ActiveChannelsAsync(db, sale.GroupId, ct);
        AddPost(db, plan, trigger, text!, now, Min(now + AnnouncementService.TooLateAfter, sale.EndsAt), channels, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return false; // already posted (units came back and went again, or a sweep got there first)
        }

        await tx.CommitAsync(ct);
        logger.LogInformation("Flash sale {FlashSaleId} announced {Trigger} with {Remaining} left", saleId, trigger, sale.Remaining);
        await dispatcher.WakeAllAsync(db, ct);
        return true;
    }

    /// <summary>The safety net for a reaction lost between a claim's commit and its post (a crash, a failed connection): runs every minute.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<Guid> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await (
                    from s in db.FlashSales
                    join p in db.SaleAnnouncementPlans on s.Id equals p.SaleId
                    where s.CancelledAt == null && s.StartsAt <= now && s.EndsAt > now
                          && ((s.Remaining == 0 && p.SoldOut && !db.SalePosts.Any(x => x.SaleId == s.Id && x.Trigger == SalePost.SoldOut))
                              || (s.Remaining > 0 && s.Remaining <= p.LowStockAt && !db.SalePosts.Any(x => x.SaleId == s.Id && x.Trigger == SalePost.LowStock)))
                    orderby s.StartsAt, s.Id // the longest waiting first, so a batch never leaves the same sale behind
                    select s.Id)
                .Take(CatchUpBatch)
                .ToListAsync(ct);
        }

        var posted = 0;
        foreach (var saleId in due)
        {
            posted += await PostStockAsync(saleId, ct) ? 1 : 0;
        }

        return posted;
    }

    /// <summary>Calls off the sale's posts not yet on their way, in the caller's transaction and under the sale's lock.</summary>
    internal static async Task<CancelledAnnouncement> WithdrawAsync(CommunityFunnelDbContext db, Guid saleId, DateTimeOffset now, CancellationToken ct)
    {
        await LockAsync(db, saleId, ct);
        return await AnnouncementService.CancelPendingAsync(db, saleId, now, ct);
    }

    internal static SaleFacts FlashSaleFacts(FlashSale sale, Group group, string product, string link) =>
        new(SaleKind.FlashSale, product, group.Name, sale.Price, null, null, sale.Currency, group.Country, sale.StartsAt, sale.EndsAt, TimeZones.Find(group.TimeZoneId), link,
            CultureInfo.GetCultureInfo(group.Language));

    internal static SaleFacts GroupBuyFacts(GroupBuy groupBuy, Group group, string product, string link) =>
        new(SaleKind.GroupBuy, product, group.Name, groupBuy.Tiers[0].Price, groupBuy.Tiers[^1].Price, groupBuy.Tiers[^1].Participants, groupBuy.Currency, group.Country,
            groupBuy.OpensAt, groupBuy.ClosesAt, TimeZones.Find(group.TimeZoneId), link, CultureInfo.GetCultureInfo(group.Language));

    internal static string LinkFor(SaleKind kind, Guid saleId, Uri siteBase) =>
        new Uri(siteBase, SalePages.PathOf(kind, saleId)).ToString();

    internal static Task<List<Channel>> ActiveChannelsAsync(CommunityFunnelDbContext db, Guid groupId, CancellationToken ct) =>
        db.Channels.AsNoTracking().Where(c => c.GroupId == groupId && c.IsActive).ToListAsync(ct);

    /// <summary>Serializes a sale's stock posts with its cancellation, without touching the sale row every claim updates.</summary>
    private static Task<int> LockAsync(CommunityFunnelDbContext db, Guid saleId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended('sale-posts:' || {saleId}::text, 0))", ct);

    private static void AddPost(CommunityFunnelDbContext db, SaleAnnouncementPlan plan, string trigger, string text, DateTimeOffset dueAt, DateTimeOffset deadline,
        IReadOnlyList<Channel> channels, DateTimeOffset now)
    {
        var post = new Post(plan.SaleId, plan.GroupId, text, dueAt, deadline, now);
        db.Posts.Add(post);
        db.SalePosts.Add(new SalePost(plan.SaleId, trigger, post.Id));
        db.Deliveries.AddRange(channels.Select(c => new Delivery(post.Id, c.Id, dueAt, deadline)));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
