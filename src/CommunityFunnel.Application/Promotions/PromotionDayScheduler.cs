using System.Globalization;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.Application.Promotions;

/// <summary>
/// Gives every group's next promotion day its countdown: an event (10:00 to 23:59 local) with the usual countdown
/// posts, created once per occurrence and then the operators' to edit. One instance schedules at a time.
/// </summary>
public sealed class PromotionDayScheduler(IDbContextFactory<CommunityFunnelDbContext> dbFactory, EventService events, TimeProvider clock, ILogger<PromotionDayScheduler> logger)
{
    private const long LockKey = 0x43_46_70_72_6F; // "CFpro"

    /// <summary>When the day's event starts, local time; a day already under way is not announced again.</summary>
    private static readonly TimeOnly StartsAt = new(10, 0);

    /// <summary>
    /// Waits for a run under way and keeps the next one out until the caller's transaction ends, so a change to a day never
    /// interleaves with a run announcing it (whose event the change could otherwise not see, and leave behind).
    /// </summary>
    internal static Task HoldOffAsync(CommunityFunnelDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct);

    public async Task<int> ScheduleAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LockKey})", ct);
        try
        {
            var scheduled = 0;
            var due = await (from p in db.PromotionDays
                             join g in db.Groups on p.GroupId equals g.Id
                             where !g.IsArchived
                             select new { Day = p, g.TimeZoneId, g.Language }).ToListAsync(ct);
            foreach (var item in due)
            {
                var local = LocalTimes.ToLocal(clock.GetUtcNow(), TimeZones.Find(item.TimeZoneId));
                var today = DateOnly.FromDateTime(local);
                var next = item.Day.NextOnOrAfter(local.TimeOfDay < StartsAt.ToTimeSpan() ? today : today.AddDays(1));
                if (item.Day.NextEventDate == next && item.Day.NextEventId is not null)
                {
                    continue;
                }

                var date = next.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                var created = await events.CreateAsync(Actor.System, new EventInput([item.Day.GroupId], PromotionDayTexts.Title(item.Language),
                    $"{date}T{StartsAt:HH\\:mm}", $"{date}T23:59", Description: PromotionDayTexts.Description(item.Day.Multiplier, item.Language)), ct);
                if (created.Value is not { } scheduledEvent)
                {
                    logger.LogWarning("The promotion day of group {GroupId} could not be announced: {Problem}", item.Day.GroupId, created.Failure!.Message);
                    continue;
                }

                item.Day.Scheduled(scheduledEvent.Id, next);
                await db.SaveChangesAsync(ct);
                scheduled++;
            }

            return scheduled;
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", ct);
        }
    }

    /// <summary>
    /// After a change of multiplier, the announced countdown whose description still says the old one says the new one;
    /// an operator's own wording, or an event under way, is left as it is.
    /// </summary>
    public async Task RetextAsync(Guid groupId, decimal previousMultiplier, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var announced = await (from p in db.PromotionDays
                               join g in db.Groups on p.GroupId equals g.Id
                               join e in db.Events on p.NextEventId equals e.Id
                               where p.GroupId == groupId && p.Multiplier != previousMultiplier
                                   && db.EventOccurrences.Any(o => o.EventId == e.Id && o.StartsAt > now)
                               select new { Event = e, p.Multiplier, g.Language }).SingleOrDefaultAsync(ct);
        if (announced is not null && announced.Event.Description == PromotionDayTexts.Description(previousMultiplier, announced.Language))
        {
            announced.Event.Redescribe(PromotionDayTexts.Description(announced.Multiplier, announced.Language), now);
            await db.SaveChangesAsync(ct);
        }
    }
}
