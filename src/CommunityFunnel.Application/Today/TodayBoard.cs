using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Today;

/// <summary>
/// One screen for an operator running many groups: payments to confirm and to chase, sales live and next, posts due
/// soon, and what waits to be pasted by hand; each list bounded, so 20 busy groups still load at once.
/// </summary>
public sealed class TodayBoard(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxRows = 200;
    public static readonly TimeSpan PostsAhead = TimeSpan.FromHours(24);
    public static readonly TimeSpan SalesAhead = TimeSpan.FromDays(7);
    private const int NextSales = 20;

    public async Task<TodayView> ForAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var groups = db.VisibleGroups(actor).Where(g => !g.IsArchived);
        var unpaid = await (
                from o in db.Orders
                join g in groups on o.GroupId equals g.Id
                join m in db.Members on o.MemberId equals m.Id
                join p in db.Products on o.ProductId equals p.Id
                where o.Status == OrderStatus.Pending
                      && (o.PaymentReportedAt != null || o.PaymentDueAt != null
                          || db.GroupBuys.Any(b => b.Id == o.GroupBuyId && b.SettledAt != null))
                orderby o.PaymentReportedAt == null, o.PaymentDueAt, o.CreatedAt
                select new UnpaidOrder(o.Id, g.Id, g.Name, g.TimeZoneId, m.Id, m.DisplayName, p.Name, o.Quantity, o.UnitPrice * o.Quantity, o.Currency,
                    o.PaymentDueAt, o.PaymentReportedAt))
            .AsNoTracking()
            .Take(MaxRows * 2)
            .ToListAsync(ct);

        return new TodayView(
            [.. unpaid.Where(o => o.PaymentReportedAt is not null).Take(MaxRows)],
            [.. unpaid.Where(o => o.PaymentReportedAt is null).Take(MaxRows)],
            await SalesAsync(db, groups, now, ct),
            await PostsDueAsync(db, groups, now, ct),
            await ToSendCountAsync(db, groups, ct));
    }

    /// <summary>The menu's badges, cheaply: posts waiting to be pasted, and payments waiting to be confirmed.</summary>
    public async Task<MenuBadges> BadgesAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = db.VisibleGroups(actor).Where(g => !g.IsArchived);
        var toConfirm = await db.Orders.CountAsync(o => o.Status == OrderStatus.Pending && o.PaymentReportedAt != null && groups.Any(g => g.Id == o.GroupId), ct);
        return new MenuBadges(toConfirm, await ToSendCountAsync(db, groups, ct));
    }

    private static Task<int> ToSendCountAsync(CommunityFunnelDbContext db, IQueryable<Domain.Groups.Group> groups, CancellationToken ct) =>
        (from d in db.Deliveries
         join p in db.Posts on d.PostId equals p.Id
         join g in groups on p.GroupId equals g.Id
         where d.Status == DeliveryStatus.AwaitingOperator
         select d.Id).CountAsync(ct);

    private static async Task<List<SaleNow>> SalesAsync(CommunityFunnelDbContext db, IQueryable<Domain.Groups.Group> groups, DateTimeOffset now, CancellationToken ct)
    {
        var horizon = now + SalesAhead;
        var flash = await (
                from s in db.FlashSales
                join g in groups on s.GroupId equals g.Id
                join p in db.Products on s.ProductId equals p.Id
                where s.CancelledAt == null && s.EndsAt > now && s.StartsAt < horizon
                orderby s.StartsAt
                select new SaleNow(SaleKind.FlashSale, s.Id, g.Id, g.Name, g.TimeZoneId, p.Name, s.StartsAt, s.EndsAt, s.StartsAt <= now, s.Remaining, s.Stock, null))
            .AsNoTracking().Take(MaxRows).ToListAsync(ct);
        var groupBuys = await (
                from b in db.GroupBuys
                join g in groups on b.GroupId equals g.Id
                join p in db.Products on b.ProductId equals p.Id
                where b.SettledAt == null && b.ClosesAt > now && b.OpensAt < horizon
                orderby b.OpensAt
                select new SaleNow(SaleKind.GroupBuy, b.Id, g.Id, g.Name, g.TimeZoneId, p.Name, b.OpensAt, b.ClosesAt, b.OpensAt <= now, null, null,
                    db.Orders.Count(o => o.GroupBuyId == b.Id && (o.Status == OrderStatus.Pending || o.Status == OrderStatus.Paid))))
            .AsNoTracking().Take(MaxRows).ToListAsync(ct);
        var all = flash.Concat(groupBuys).ToList();
        return [.. all.Where(s => s.IsLive).OrderBy(s => s.EndsAt), .. all.Where(s => !s.IsLive).OrderBy(s => s.StartsAt).Take(NextSales)];
    }

    private static Task<List<PostDue>> PostsDueAsync(CommunityFunnelDbContext db, IQueryable<Domain.Groups.Group> groups, DateTimeOffset now, CancellationToken ct) =>
        (from p in db.Posts
         join g in groups on p.GroupId equals g.Id
         where p.CancelledAt == null && p.DueAt >= now && p.DueAt < now + PostsAhead
         orderby p.DueAt
         select new PostDue(p.Id, p.AnnouncementId, g.Id, g.Name, g.TimeZoneId, p.DueAt, p.Text))
        .AsNoTracking().Take(MaxRows).ToListAsync(ct);
}
