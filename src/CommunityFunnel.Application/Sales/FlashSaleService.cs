using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommunityFunnel.Application.Sales;

/// <summary>Flash sales for operators and the API: create, read, cancel, claim on a member's behalf; and the expiry sweep.</summary>
public sealed class FlashSaleService(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    FlashSaleClaims claims,
    DispatcherSignal dispatcher,
    TimeProvider clock,
    ILogger<FlashSaleService> logger)
{
    private const int ExpiryBatch = 1000;

    public async Task<Result<Guid>> CreateAsync(Actor actor, FlashSaleInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var offer = await SaleOffer.LoadAsync(db, actor, input.GroupId, input.ProductId, ct);
        if (offer.Value is not { } found)
        {
            return offer.Failure!;
        }

        var now = clock.GetUtcNow();
        var terms = new FlashSaleTerms(input.Price, input.Stock, input.PerMemberLimit, input.StartsAt, input.EndsAt,
            FlashSaleTerms.PaymentWindowOf(input.PaymentMinutes), input.MinStage);
        var errors = terms.Check(now).Concat(input.Announce?.Announcements.Check(input.Stock) ?? []).ToList();
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        var sale = await AddAsync(db, actor, new SaleTarget(found.Group, found.Product), terms, input.Announce, now, ct);
        await SaveAsync(db, input.Announce, ct);
        return sale.Id;
    }

    /// <summary>
    /// One flash sale in each of many groups, each in its own zone ("20:00" is 20:00 there) and currency, with the product
    /// and price overridden per group where given. All or nothing: every group is checked first, and if one cannot take
    /// the sale none is created (a retry then cannot create a second sale in the groups that could).
    /// </summary>
    public async Task<Result<BulkSaleOutcome>> CreateManyAsync(Actor actor, BulkFlashSaleInput input, CancellationToken ct)
    {
        var groupIds = input.GroupIds.Distinct().ToList();
        var errors = SaleGroups.CheckShape(groupIds, (input.StartsAt, "startsAt"), (input.EndsAt, "endsAt"), ("productOverrides", input.ProductOverrides?.Keys), ("priceOverrides", input.PriceOverrides?.Keys));
        var paymentWindow = FlashSaleTerms.PaymentWindowOf(input.PaymentMinutes);
        errors.AddRange(TermsIn(TimeZoneInfo.Utc, input.Price).CheckOffer());
        errors.AddRange(input.Announce?.Announcements.Check(input.Stock) ?? []);
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var targets = await SaleGroups.ResolveAsync(db, actor, groupIds, input.ProductId, input.ProductOverrides, ct);
        var planned = targets.Select(t =>
        {
            if (t.Target.Value is not { } target)
            {
                return new PlannedSale<FlashSaleTerms>(t.GroupId, null, null, t.Target.Failure);
            }

            var ownPrice = input.PriceOverrides is { } prices && prices.TryGetValue(t.GroupId, out var price) ? price : (decimal?)null;
            var terms = TermsIn(TimeZones.Find(target.Group.TimeZoneId), ownPrice ?? input.Price);
            var problems = terms.Check(now).ToList();
            problems.AddIfAny(SaleGroups.OwnPriceProblem(target, input.ProductId, ownPrice is not null, "price"));
            return new PlannedSale<FlashSaleTerms>(t.GroupId, target, terms, problems.Count > 0 ? Failure.Invalid(problems) : null);
        }).ToList();
        return await SaleGroups.CreateAllAsync(db, planned,
            async (target, terms) => (await AddAsync(db, actor, target, terms, input.Announce, now, ct)).Id,
            () => SaveAsync(db, input.Announce, ct), ct);

        FlashSaleTerms TermsIn(TimeZoneInfo zone, decimal price) =>
            new(price, input.Stock, input.PerMemberLimit, input.StartsAt.In(zone), input.EndsAt.In(zone), paymentWindow, input.MinStage);
    }

    private static async Task<FlashSale> AddAsync(CommunityFunnelDbContext db, Actor actor, SaleTarget target, FlashSaleTerms terms, SaleAnnouncementInput? announce,
        DateTimeOffset now, CancellationToken ct)
    {
        var sale = new FlashSale(target.Group.Id, target.Product.Id, target.Product.Currency, terms, templateId: null, now);
        db.FlashSales.Add(sale);
        if (announce is not null && announce.Announcements.Any)
        {
            var link = SaleAnnouncer.LinkFor(SaleKind.FlashSale, sale.Id, announce.SiteBase);
            var plan = new SaleAnnouncementPlan(sale.Id, SaleKind.FlashSale, target.Group.Id, announce.Announcements, link, now);
            var channels = await SaleAnnouncer.ActiveChannelsAsync(db, target.Group.Id, ct);
            SaleAnnouncer.Plan(db, plan, SaleAnnouncer.FlashSaleFacts(sale, target.Group, target.Product.Name, link), channels, now);
        }

        db.Audit(now, AuditCategory.Sales, actor, "flash_sale.created", target.Group.Name,
            $"{target.Product.Name}: {terms.Stock} at {terms.Price} {sale.Currency}, {terms.StartsAt:u} to {terms.EndsAt:u}");
        return sale;
    }

    private async Task SaveAsync(CommunityFunnelDbContext db, SaleAnnouncementInput? announce, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        if (announce is not null && announce.Announcements.Any)
        {
            await dispatcher.WakeAllAsync(db, ct);
        }
    }

    public async Task<Result<FlashSaleView>> GetAsync(Actor actor, Guid saleId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = (await Views(db, db.FlashSales.Where(s => s.Id == saleId), ct)).SingleOrDefault();
        if (view is null)
        {
            return Failure.NotFound("The flash sale");
        }

        return await db.CanAccessGroupAsync(actor, view.GroupId, ct) ? view : Failure.Forbidden("this flash sale");
    }

    public async Task<Result<IReadOnlyList<FlashSaleView>>> ListForGroupAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.CanAccessGroupAsync(actor, groupId, ct))
        {
            return Failure.Forbidden("this group");
        }

        return await RecentAsync(db, [groupId], ct);
    }

    /// <summary>Sales in the groups the actor runs (or one of them), in id order (creation order to the millisecond), a page at a time (for integrations).</summary>
    public async Task<Result<CursorPage<FlashSaleView>>> ListPageAsync(Actor actor, Guid? groupId, string? cursor, int? limit, CancellationToken ct)
    {
        var request = Cursor.ReadIdPage("flash-sales", cursor, limit);
        if (request.Failure is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (groupId is { } id && await db.FindGroupForAsync(actor, id, ct) is { Failure: { } failure })
        {
            return failure;
        }

        var visible = db.VisibleGroupIds(actor);
        var sales = db.FlashSales.Where(s => visible.Contains(s.GroupId) && (groupId == null || s.GroupId == groupId));
        if (request.Value.After is { } after)
        {
            sales = sales.Where(s => s.Id.CompareTo(after) > 0);
        }

        var views = await Views(db, sales.OrderBy(s => s.Id).Take(request.Value.Limit + 1), ct);
        return Cursor.PageById("flash-sales", [.. views.OrderBy(v => v.Id)], request.Value.Limit, v => v.Id);
    }

    /// <summary>Sales of the last 30 days and ahead in these groups, for a caller that has checked access to them.</summary>
    internal async Task<List<FlashSaleView>> ListForGroupsAsync(IReadOnlyCollection<Guid> groupIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await RecentAsync(db, groupIds, ct);
    }

    private Task<List<FlashSaleView>> RecentAsync(CommunityFunnelDbContext db, IReadOnlyCollection<Guid> groupIds, CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddDays(-30);
        return Views(db, db.FlashSales.Where(s => groupIds.Contains(s.GroupId) && s.EndsAt > since).OrderByDescending(s => s.StartsAt).Take(200), ct);
    }

    public async Task<Result<Guid>> CancelAsync(Actor actor, Guid saleId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindInGroupForAsync(actor, db.FlashSales.Where(s => s.Id == saleId), s => s.GroupId, "flash sale", ct);
        if (found.Value is not { } sale)
        {
            return found.Failure!;
        }

        var now = clock.GetUtcNow();
        if (!sale.Cancel(now))
        {
            return Failure.Conflict("not_cancellable", "The sale has already ended or been cancelled.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var withdrawn = await SaleAnnouncer.WithdrawAsync(db, sale.Id, now, ct);
        db.Audit(now, AuditCategory.Sales, actor, "flash_sale.cancelled", sale.Id.ToString(),
            $"Cancelled; orders already placed stay; {withdrawn.PostsCancelled} announcements withdrawn.");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        claims.Forget(saleId);
        return sale.Id;
    }

    /// <summary>An operator or integration claims for a member of one of their groups.</summary>
    public async Task<Result<ClaimResult>> ClaimForAsync(Actor actor, Guid saleId, Guid memberId, int quantity, string? idempotencyKey, CancellationToken ct)
    {
        var sale = await claims.FindTermsAsync(saleId, ct);
        if (sale is null)
        {
            return Failure.NotFound("The flash sale");
        }

        if (!actor.IsAdmin)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (!await db.CanAccessGroupAsync(actor, sale.GroupId, ct))
            {
                return Failure.Forbidden("this flash sale");
            }
        }

        return await claims.ClaimAsync(sale, memberId, quantity, idempotencyKey, ct);
    }

    /// <summary>
    /// Expires unpaid reservations past their payment deadline and puts their units back on sale. Each order flips from
    /// Pending to Expired in the same statement that returns its units, so a unit comes back exactly once however often
    /// or concurrently this runs; an order being paid at that moment is skipped and stays paid.
    /// </summary>
    public async Task<int> ExpireReservationsAsync(CancellationToken ct)
    {
        var returned = 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT flash_sale_id, units FROM funnel.expire_flash_reservations($1, $2)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
            command.Parameters.Add(new NpgsqlParameter { Value = ExpiryBatch });
            var batch = 0;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var saleId = reader.GetGuid(0);
                    var units = reader.GetInt32(1);
                    claims.Restocked(saleId);
                    batch += units;
                    logger.LogInformation("Returned {Units} unpaid units to flash sale {FlashSaleId}", units, saleId);
                }
            }

            returned += batch;
            if (batch == 0)
            {
                return returned;
            }
        }
    }

    private async Task<List<FlashSaleView>> Views(CommunityFunnelDbContext db, IQueryable<FlashSale> sales, CancellationToken ct)
    {
        var rows = await (
                from s in sales
                join g in db.Groups on s.GroupId equals g.Id
                join p in db.Products on s.ProductId equals p.Id
                select new { Sale = s, GroupName = g.Name, g.TimeZoneId, ProductName = p.Name })
            .AsNoTracking()
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        return rows.Select(r => new FlashSaleView(r.Sale.Id, r.Sale.GroupId, r.GroupName, r.TimeZoneId, r.Sale.ProductId, r.ProductName, r.Sale.Price,
                r.Sale.Currency, r.Sale.Stock, r.Sale.Remaining, r.Sale.PerMemberLimit, r.Sale.MinStage, r.Sale.StartsAt, r.Sale.EndsAt,
                (int)r.Sale.PaymentWindow.TotalMinutes, r.Sale.StateAt(now), r.Sale.TemplateId))
            .OrderByDescending(v => v.StartsAt)
            .ToList();
    }
}

/// <summary>The group and product a sale is offered in, checked together: access, archived, inactive, currency.</summary>
internal sealed record SaleOffer(Group Group, Product Product)
{
    public static async Task<Result<SaleOffer>> LoadAsync(CommunityFunnelDbContext db, Actor actor, Guid groupId, Guid productId, CancellationToken ct)
    {
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        var errors = new List<RuleViolation>();
        if (group.IsArchived)
        {
            errors.Add(new RuleViolation("group_archived", "The group is archived.", "groupId"));
        }

        var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == productId, ct);
        errors.AddIfAny(ProductOffer.Problem(product, group));

        return errors.Count > 0 ? Failure.Invalid(errors) : new SaleOffer(group, product!);
    }
}
