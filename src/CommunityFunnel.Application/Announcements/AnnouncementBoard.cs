using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Media;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Sales;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Announcements;

/// <summary>The operator's views of posting: the timeline of what goes out where and when, and the assisted "to send" queue.</summary>
public sealed class AnnouncementBoard(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>An assisted post not pasted within this long after its time stands out as overdue.</summary>
    public static readonly TimeSpan OverdueAfter = TimeSpan.FromMinutes(15);

    public async Task<IReadOnlyList<TimelineRow>> TimelineAsync(Actor actor, Guid? groupId, DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = db.VisibleGroups(actor).Where(g => groupId == null || g.Id == groupId);
        var posts = await (
                from p in db.Posts
                join g in groups on p.GroupId equals g.Id
                where p.DueAt >= since && p.DueAt < until && p.CancelledAt == null
                orderby p.DueAt, g.Name
                select new { p.Id, p.AnnouncementId, p.GroupId, g.Name, g.TimeZoneId, p.DueAt, p.Text })
            .Take(1000)
            .ToListAsync(ct);
        var ids = posts.Select(p => p.Id).ToList();
        var statuses = (await db.Deliveries.Where(d => ids.Contains(d.PostId)).Select(d => new { d.PostId, d.Status }).ToListAsync(ct))
            .ToLookup(d => d.PostId, d => d.Status);
        return posts.Select(p => new TimelineRow(p.Id, p.AnnouncementId, p.GroupId, p.Name, p.TimeZoneId, p.DueAt, p.Text, [.. statuses[p.Id]])).ToList();
    }

    /// <summary>The flash sales and group-buys running in the window, to show on the timeline between the posts about them.</summary>
    public async Task<IReadOnlyList<TimelineSale>> SalesAsync(Actor actor, Guid? groupId, DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = db.VisibleGroups(actor).Where(g => groupId == null || g.Id == groupId);
        var flashSales = await (
                from s in db.FlashSales
                join g in groups on s.GroupId equals g.Id
                join p in db.Products on s.ProductId equals p.Id
                where s.StartsAt < until && s.EndsAt >= since
                select new TimelineSale(s.Id, SaleKind.FlashSale, g.Id, g.Name, g.TimeZoneId, p.Name, s.StartsAt, s.EndsAt, s.CancelledAt != null))
            .Take(500)
            .ToListAsync(ct);
        var groupBuys = await (
                from b in db.GroupBuys
                join g in groups on b.GroupId equals g.Id
                join p in db.Products on b.ProductId equals p.Id
                where b.OpensAt < until && b.ClosesAt >= since
                select new TimelineSale(b.Id, SaleKind.GroupBuy, g.Id, g.Name, g.TimeZoneId, p.Name, b.OpensAt, b.ClosesAt, false))
            .Take(500)
            .ToListAsync(ct);
        return [.. flashSales.Concat(groupBuys).OrderBy(s => s.StartsAt).ThenBy(s => s.GroupName)];
    }

    public async Task<IReadOnlyList<AssistedItem>> ToSendAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var visible = db.VisibleGroupIds(actor);
        var rows = await (
                from d in db.Deliveries
                join p in db.Posts on d.PostId equals p.Id
                join c in db.Channels on d.ChannelId equals c.Id
                join g in db.Groups on p.GroupId equals g.Id
                from i in db.Images.Where(i => i.Id == p.ImageId).DefaultIfEmpty()
                where d.Status == DeliveryStatus.AwaitingOperator && visible.Contains(g.Id)
                orderby d.DueAt
                select new { d.Id, g.Name, GroupId = g.Id, g.TimeZoneId, Channel = c.Name, p.Text, d.DueAt, ImageToken = i == null ? null : i.Token, ImageType = i == null ? null : i.ContentType })
            .ToListAsync(ct);
        return rows.Select(r => new AssistedItem(r.Id, r.GroupId, r.Name, r.TimeZoneId, r.Channel, r.Text, r.DueAt, now - r.DueAt > OverdueAfter)
        {
            ImageUrl = r.ImageToken is null ? null : ImageLinks.PathFor(r.ImageToken, r.ImageType!),
        }).ToList();
    }

    /// <summary>The operator pasted the post into the group. Marking twice is harmless.</summary>
    public async Task<Result<bool>> MarkSentAsync(Actor actor, Guid deliveryId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groupId = await (from d in db.Deliveries join p in db.Posts on d.PostId equals p.Id where d.Id == deliveryId select (Guid?)p.GroupId)
            .SingleOrDefaultAsync(ct);
        if (groupId is null)
        {
            return Failure.NotFound("The post");
        }

        if (!await db.CanAccessGroupAsync(actor, groupId.Value, ct))
        {
            return Failure.Forbidden("this post");
        }

        var now = clock.GetUtcNow();
        var note = $"Posted by hand by {actor.Name}";
        await db.Deliveries.Where(d => d.Id == deliveryId && d.Status == DeliveryStatus.AwaitingOperator)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sent).SetProperty(d => d.SentAt, now).SetProperty(d => d.LastResponse, note), ct);
        return true;
    }
}
