using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Promotions;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Promotions;

public sealed record PromotionDayView(Guid GroupId, int DayOfMonth, decimal Multiplier, Guid? GiftProductId, DateOnly? NextDate, Guid? NextEventId);

/// <summary>Sets a group's member promotion day; saving announces its next occurrence through the event engine.</summary>
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

            var day = await db.PromotionDays.SingleOrDefaultAsync(p => p.GroupId == groupId, ct);
            if (day is null)
            {
                db.PromotionDays.Add(new PromotionDay(groupId, dayOfMonth, multiplier, giftProductId));
            }
            else
            {
                day.Change(dayOfMonth, multiplier, giftProductId);
            }

            db.Audit(clock.GetUtcNow(), AuditCategory.Sales, actor, "promotion-day.saved", group.Name, $"Day {dayOfMonth}, rebates x{multiplier}");
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
            {
                return Failure.Conflict("concurrent_change", "Someone else saved this group's promotion day at the same moment; reload and try again.");
            }
        }

        await scheduler.ScheduleAsync(ct);
        await using var after = await dbFactory.CreateDbContextAsync(ct);
        return await after.PromotionDays.AsNoTracking().Where(p => p.GroupId == groupId).Select(p => View(p)).SingleAsync(ct);
    }

    private static PromotionDayView View(PromotionDay p) => new(p.GroupId, p.DayOfMonth, p.Multiplier, p.GiftProductId, p.NextEventDate, p.NextEventId);
}
