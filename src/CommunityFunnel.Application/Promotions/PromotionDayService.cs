using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Promotions;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Promotions;

public sealed record PromotionDayView(Guid GroupId, int DayOfMonth, decimal Multiplier, Guid? GiftProductId, DateOnly? NextDate, Guid? NextEventId);

/// <summary>
/// Sets and removes a group's member promotion day. Saving announces its next occurrence through the event engine; a change
/// that leaves an occurrence already announced calls off that occurrence's countdown, unless its event has started, and a
/// new multiplier is written into the countdown still to come.
/// </summary>
public sealed class PromotionDayService(IDbContextFactory<CommunityFunnelDbContext> dbFactory, PromotionDayScheduler scheduler, TimeProvider clock)
{
    public async Task<Result<PromotionDayView?>> GetAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.FindGroupForAsync(actor, groupId, ct) is { Failure: { } failure })
        {
            return failure;
        }

        return await db.PromotionDays.AsNoTracking().Where(p => p.GroupId == groupId).Select(p => View(p)).SingleOrDefaultAsync(ct);
    }

    public async Task<Result<PromotionDayView>> SetAsync(Actor actor, Guid groupId, int dayOfMonth, decimal multiplier, Guid? giftProductId, CancellationToken ct)
    {
        decimal? previousMultiplier;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var found = await db.FindGroupForAsync(actor, groupId, ct);
            if (found.Value is not { } group)
            {
                return found.Failure!;
            }

            var errors = new List<RuleViolation>(PromotionDay.Check(dayOfMonth, multiplier));
            if (giftProductId is { } productId)
            {
                var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == productId, ct);
                if (ProductOffer.Problem(product, group) is { } problem)
                {
                    errors.Add(problem with { Field = "giftProductId" });
                }
            }

            if (errors.Count > 0)
            {
                return Failure.Invalid(errors);
            }

            var now = clock.GetUtcNow();
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await PromotionDayScheduler.HoldOffAsync(db, ct);
                var day = await db.PromotionDays.SingleOrDefaultAsync(p => p.GroupId == groupId, ct);
                var announced = day?.NextEventId;
                previousMultiplier = day?.Multiplier;
                if (day is null)
                {
                    db.PromotionDays.Add(new PromotionDay(groupId, dayOfMonth, multiplier, giftProductId));
                }
                else
                {
                    day.Change(dayOfMonth, multiplier, giftProductId);
                }

                var calledOff = announced is { } old && day!.NextEventId != old ? await CallOffCountdownAsync(db, groupId, old, now, ct) : "";
                db.Audit(now, AuditCategory.Sales, actor, "promotion-day.saved", group.Name, $"Day {dayOfMonth}, rebates x{multiplier}{calledOff}");
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
            {
                return Failure.Conflict("concurrent_change", "Someone else saved this group's promotion day at the same moment; reload and try again.");
            }
        }

        await scheduler.ScheduleAsync(ct);
        if (previousMultiplier is { } previous)
        {
            await scheduler.RetextAsync(groupId, previous, ct);
        }

        await using var after = await dbFactory.CreateDbContextAsync(ct);
        return await after.PromotionDays.AsNoTracking().Where(p => p.GroupId == groupId).Select(p => View(p)).SingleAsync(ct);
    }

    /// <summary>Ends the group's promotion days, calling off the next one's countdown unless it has started. A group without one is no error.</summary>
    public async Task<Result<bool>> RemoveAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await PromotionDayScheduler.HoldOffAsync(db, ct);
        var day = await db.PromotionDays.SingleOrDefaultAsync(p => p.GroupId == groupId, ct);
        if (day is null)
        {
            return true;
        }

        var now = clock.GetUtcNow();
        db.PromotionDays.Remove(day);
        var calledOff = day.NextEventId is { } announced ? await CallOffCountdownAsync(db, groupId, announced, now, ct) : "";
        db.Audit(now, AuditCategory.Sales, actor, "promotion-day.removed", group.Name, $"Was day {day.DayOfMonth}, rebates x{day.Multiplier}{calledOff}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Calls off the countdown posts of an occurrence the group no longer holds, through the event engine's cancel, so none of
    /// them goes out; an event that has started (or is over) stays as it is. Says what it did, for the audit log.
    /// </summary>
    private static async Task<string> CallOffCountdownAsync(CommunityFunnelDbContext db, Guid groupId, Guid eventId, DateTimeOffset now, CancellationToken ct)
    {
        var startsAt = await db.EventOccurrences.Where(o => o.EventId == eventId && o.GroupId == groupId).Select(o => (DateTimeOffset?)o.StartsAt).SingleOrDefaultAsync(ct);
        if (startsAt is null || startsAt <= now)
        {
            return "";
        }

        var cancelled = await AnnouncementService.CancelPendingAsync(db, eventId, now, ct);
        return $"; the countdown of event {eventId} called off ({cancelled.PostsCancelled} posts)";
    }

    private static PromotionDayView View(PromotionDay p) => new(p.GroupId, p.DayOfMonth, p.Multiplier, p.GiftProductId, p.NextEventDate, p.NextEventId);
}
