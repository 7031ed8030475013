using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.Application.Sales;

/// <summary>
/// Recurring flash-sale slots. Sessions are created a week ahead, in each group's time zone; the unique
/// (template, start) index makes creating them idempotent, so the hourly job may run anywhere, twice, or at once.
/// </summary>
public sealed class FlashSaleTemplateService(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock, ILogger<FlashSaleTemplateService> logger)
{
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(7);

    public async Task<Result<Guid>> CreateAsync(Actor actor, FlashSaleTemplateInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var offer = await SaleOffer.LoadAsync(db, actor, input.GroupId, input.ProductId, ct);
        if (offer.Value is not { } found)
        {
            return offer.Failure!;
        }

        var now = clock.GetUtcNow();
        var slot = new FlashSaleSlot(input.Days, input.LocalStart, TimeSpan.FromMinutes(input.DurationMinutes));
        var paymentWindow = FlashSaleTerms.PaymentWindowOf(input.PaymentMinutes);
        var terms = new FlashSaleTerms(input.Price, input.Stock, input.PerMemberLimit, now, now + slot.Duration, paymentWindow, input.MinStage);
        var errors = slot.Check().Concat(terms.CheckOffer()).ToList();
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        var template = new FlashSaleTemplate(found.Group.Id, found.Product.Id, slot, input.Price, input.Stock, input.PerMemberLimit, paymentWindow, input.MinStage, now);
        db.FlashSaleTemplates.Add(template);
        db.Audit(now, AuditCategory.Sales, actor, "flash_sale_template.created", found.Group.Name,
            $"{found.Product.Name} on {string.Join(", ", slot.Days)} at {slot.LocalStart:HH\\:mm} for {slot.Duration.TotalMinutes:0} min");
        await db.SaveChangesAsync(ct);
        await ScheduleAsync(db, template, found.Group.TimeZoneId, found.Product.Currency, now, ct);
        return template.Id;
    }

    public async Task<Result<IReadOnlyList<FlashSaleTemplateView>>> ListForGroupAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.CanAccessGroupAsync(actor, groupId, ct))
        {
            return Failure.Forbidden("this group");
        }

        var rows = await (
                from t in db.FlashSaleTemplates
                join p in db.Products on t.ProductId equals p.Id
                where t.GroupId == groupId
                orderby t.CreatedAt
                select new { Template = t, ProductName = p.Name })
            .AsNoTracking()
            .ToListAsync(ct);
        return rows.Select(r => new FlashSaleTemplateView(r.Template.Id, r.Template.GroupId, r.Template.ProductId, r.ProductName, r.Template.Days,
                r.Template.LocalStart, (int)r.Template.Duration.TotalMinutes, r.Template.Price, r.Template.Stock, r.Template.PerMemberLimit,
                r.Template.MinStage, r.Template.IsActive))
            .ToList();
    }

    /// <summary>Stops creating sessions; sessions already created stay (cancel them one by one if needed).</summary>
    public async Task<Result<Guid>> DeactivateAsync(Actor actor, Guid templateId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindInGroupForAsync(actor, db.FlashSaleTemplates.Where(t => t.Id == templateId), t => t.GroupId, "recurring flash sale", ct);
        if (found.Value is not { } template)
        {
            return found.Failure!;
        }

        template.Deactivate();
        await db.SaveChangesAsync(ct);
        return template.Id;
    }

    /// <summary>Creates the sessions of every active template for the coming week; returns how many were new.</summary>
    public async Task<int> ScheduleUpcomingAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var templates = await (
                from t in db.FlashSaleTemplates
                join g in db.Groups on t.GroupId equals g.Id
                join p in db.Products on t.ProductId equals p.Id
                where t.IsActive && !g.IsArchived && p.IsActive
                select new { Template = t, g.TimeZoneId, p.Currency })
            .ToListAsync(ct);
        var created = 0;
        var now = clock.GetUtcNow();
        foreach (var row in templates)
        {
            created += await ScheduleAsync(db, row.Template, row.TimeZoneId, row.Currency, now, ct);
        }

        return created;
    }

    private async Task<int> ScheduleAsync(CommunityFunnelDbContext db, FlashSaleTemplate template, string timeZoneId, string currency, DateTimeOffset now, CancellationToken ct)
    {
        var created = 0;
        foreach (var start in template.StartsBetween(now, now + Horizon, TimeZones.Find(timeZoneId)))
        {
            var sale = new FlashSale(template.GroupId, template.ProductId, currency, template.TermsAt(start), template.Id, now);
            created += await db.Database.ExecuteSqlAsync($"""
                INSERT INTO funnel.flash_sales (id, group_id, product_id, currency, price, stock, remaining, per_member_limit, starts_at, ends_at,
                                                payment_window, min_stage, template_id, created_at)
                VALUES ({sale.Id}, {sale.GroupId}, {sale.ProductId}, {sale.Currency}, {sale.Price}, {sale.Stock}, {sale.Remaining},
                        {sale.PerMemberLimit}, {sale.StartsAt}, {sale.EndsAt}, {sale.PaymentWindow}, {sale.MinStage.ToString()}, {template.Id}, {now})
                ON CONFLICT (template_id, starts_at) WHERE template_id IS NOT NULL DO NOTHING
                """, ct);
        }

        if (created > 0)
        {
            logger.LogInformation("Scheduled {Count} flash-sale sessions from template {TemplateId}", created, template.Id);
        }

        return created;
    }
}
