using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Media;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Media;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Announcements;

/// <summary>Ad-hoc posts to one group or many, now or later: one post per group, one delivery per channel.</summary>
public sealed class AnnouncementService(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    IEnumerable<IChannelConnector> connectors,
    DispatcherSignal dispatcher,
    TimeProvider clock)
{
    public const int MaxGroups = 500;

    /// <summary>How long after its time an ad-hoc post still matters; after that it expires unsent.</summary>
    public static readonly TimeSpan TooLateAfter = TimeSpan.FromHours(1);

    public async Task<Result<Guid>> ScheduleAsync(Actor actor, AnnouncementInput input, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var errors = PostTemplate.Validate(input.Text).ToList();
        if (input.Text is { } text && PostTemplate.Placeholders.Any(p => p != "group" && text.Contains("{" + p + "}", StringComparison.Ordinal)))
        {
            errors.Add(new RuleViolation("placeholder_needs_event", "Only {group} fits a post without an event; create an event for {event}, {starts_at}, {countdown} and {link}.", "text"));
        }

        var groupIds = (input.GroupIds ?? []).Distinct().ToList();
        if (groupIds.Count is 0 or > MaxGroups)
        {
            errors.Add(new RuleViolation("groups_required", $"Choose between 1 and {MaxGroups} groups.", "groupIds"));
        }

        var dueAt = input.SendAt ?? now;
        if (dueAt < now.AddMinutes(-1))
        {
            errors.Add(new RuleViolation("send_at_in_past", "The time to send is in the past.", "sendAt"));
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = await db.VisibleGroups(actor).Where(g => groupIds.Contains(g.Id)).Select(g => new { g.Id, g.Name, g.IsArchived }).ToListAsync(ct);
        if (groups.Count != groupIds.Count)
        {
            return Failure.Forbidden("one of these groups");
        }

        if (groups.FirstOrDefault(g => g.IsArchived) is { } archived)
        {
            return GroupArchived(archived.Name);
        }

        Guid? imageId = null;
        if (input.Image is { } reference)
        {
            var fileName = ImageLinks.FileNameOf(reference);
            var image = fileName is null ? null : await db.Images.AsNoTracking()
                .Where(i => i.Token == Path.GetFileNameWithoutExtension(fileName)).Select(i => new { i.Id, i.Token, i.ContentType }).SingleOrDefaultAsync(ct);
            if (image is null || StoredImage.FileName(image.Token, image.ContentType) != fileName)
            {
                return Failure.Invalid("image_not_found", "The picture is not one stored here: upload it, or choose a product's picture.", "image");
            }

            imageId = image.Id;
        }

        var channels = await db.Channels.AsNoTracking().Where(c => groupIds.Contains(c.GroupId) && c.IsActive).ToListAsync(ct);
        var announcementId = Guid.CreateVersion7(now);
        foreach (var group in groups)
        {
            var rendered = input.Text!.Replace("{group}", group.Name, StringComparison.Ordinal);
            PlatformLimits.Check(connectors, group.Name, rendered, channels.Where(c => c.GroupId == group.Id), "text", errors, withImage: imageId is not null);

            var post = new Post(announcementId, group.Id, rendered, dueAt, dueAt + TooLateAfter, now, imageId);
            db.Posts.Add(post);
            db.Deliveries.AddRange(channels.Where(c => c.GroupId == group.Id).Select(c => new Delivery(post.Id, c.Id, dueAt, post.Deadline)));
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        await db.SaveChangesAsync(ct);
        await dispatcher.WakeAllAsync(db, ct);
        return announcementId;
    }

    /// <summary>
    /// Calls off what has not gone out yet (an event's remaining countdown, a post scheduled for later).
    /// </summary>
    public async Task<Result<CancelledAnnouncement>> CancelAsync(Actor actor, Guid announcementId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await AccessFailureAsync(db, actor, announcementId, ct) is { } failure)
        {
            return failure;
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await CancelPendingAsync(db, announcementId, now, ct);
        db.Audit(now, AuditCategory.Announcements, actor, "announcement.cancelled", announcementId.ToString(),
            $"{result.PostsCancelled} posts called off, {result.PostsAlreadyOut} already out");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// Calls off the announcement's posts not yet on their way, and their deliveries still waiting, so that each post either
    /// goes out or is cancelled and the count says which. Runs in the caller's transaction.
    /// </summary>
    internal static async Task<CancelledAnnouncement> CancelPendingAsync(CommunityFunnelDbContext db, Guid announcementId, DateTimeOffset now, CancellationToken ct)
    {
        // The deliveries are locked first. A dispatcher that claimed one already (ahead of its time, held for its instant,
        // perhaps on an instance whose clock runs ahead) shows it here no longer Scheduled, and its post goes out, so it is
        // not called off; one that claims after this waits for the lock and then finds it Cancelled.
        await db.Database.ExecuteSqlAsync($"""
            SELECT 1 FROM funnel.deliveries d JOIN funnel.posts p ON p.id = d.post_id WHERE p.announcement_id = {announcementId} FOR UPDATE OF d
            """, ct);
        var underWay = (await (
                from d in db.Deliveries
                join p in db.Posts on d.PostId equals p.Id
                where p.AnnouncementId == announcementId && d.Status != DeliveryStatus.Scheduled && d.Status != DeliveryStatus.Cancelled
                select d.PostId)
            .ToListAsync(ct)).ToHashSet();
        var posts = await db.Posts.Where(p => p.AnnouncementId == announcementId).ToListAsync(ct);
        var cancelled = posts.Where(p => !underWay.Contains(p.Id) && p.Cancel(now, DeliveryDispatcher.Lookahead)).Select(p => p.Id).ToArray();
        await db.SaveChangesAsync(ct);
        await db.Database.ExecuteSqlAsync(
            $"UPDATE funnel.deliveries SET status = 'Cancelled', next_attempt_at = {now} WHERE post_id = ANY({cancelled}) AND status = 'Scheduled'", ct);
        return new CancelledAnnouncement(cancelled.Length, posts.Count(p => p.CancelledAt is null)); // not counting earlier cancellations
    }

    public async Task<Result<IReadOnlyList<DeliveryRow>>> DeliveriesAsync(Actor actor, Guid announcementId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await AccessFailureAsync(db, actor, announcementId, ct) is { } failure)
        {
            return failure;
        }

        var posts = db.Posts.Where(p => p.AnnouncementId == announcementId);
        return await (
                from d in db.Deliveries
                join p in posts on d.PostId equals p.Id
                join c in db.Channels on d.ChannelId equals c.Id
                join g in db.Groups on p.GroupId equals g.Id
                orderby d.DueAt, g.Name, c.CreatedAt
                select new DeliveryRow(d.Id, p.Id, c.Id, c.Kind, c.Name, c.DeletedAt != null, p.GroupId, g.Name, d.Status, d.DueAt, d.SentAt, d.Attempts, d.LastResponse))
            .ToListAsync(ct);
    }

    /// <summary>The announcement's posts in due order, each with its deliveries: what the delivery log page shows.</summary>
    public async Task<Result<IReadOnlyList<PostLog>>> PostLogAsync(Actor actor, Guid announcementId, CancellationToken ct)
    {
        var deliveries = await DeliveriesAsync(actor, announcementId, ct);
        if (deliveries.Failure is { } failure)
        {
            return failure;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var posts = await (
                from p in db.Posts
                join g in db.Groups on p.GroupId equals g.Id
                where p.AnnouncementId == announcementId
                orderby p.DueAt, g.Name
                from i in db.Images.Where(i => i.Id == p.ImageId).DefaultIfEmpty()
                select new { p.Id, p.GroupId, g.Name, g.TimeZoneId, p.Text, p.DueAt, IsCancelled = p.CancelledAt != null, ImageToken = i == null ? null : i.Token, ImageType = i == null ? null : i.ContentType })
            .ToListAsync(ct);
        var byPost = deliveries.Value!.ToLookup(d => d.PostId);
        return posts.Select(p => new PostLog(p.Id, p.GroupId, p.Name, p.TimeZoneId, p.Text, p.DueAt, p.IsCancelled, byPost[p.Id].ToList())
        {
            ImageUrl = p.ImageToken is null ? null : ImageLinks.PathFor(p.ImageToken, p.ImageType!),
        }).ToList();
    }

    internal static Failure GroupArchived(string groupName) =>
        Failure.Conflict("group_archived", $"{groupName} is archived; restore it before posting to it.", "groupIds");

    /// <summary>An announcement spanning several groups is the actor's only if every one of its groups is.</summary>
    private static async Task<Failure?> AccessFailureAsync(CommunityFunnelDbContext db, Actor actor, Guid announcementId, CancellationToken ct)
    {
        var posts = db.Posts.Where(p => p.AnnouncementId == announcementId);
        if (!await posts.AnyAsync(ct))
        {
            return Failure.NotFound("The announcement");
        }

        var visible = db.VisibleGroupIds(actor);
        return await posts.AnyAsync(p => !visible.Contains(p.GroupId), ct) ? Failure.Forbidden("this announcement") : null;
    }
}
