using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommunityFunnel.Application.Sales;

/// <summary>
/// Ladder group-buys. Joining holds a share lock on the group-buy row and settlement an exclusive one, so a join is
/// either counted by the settlement or refused after it; settlement decides once (settled_at is set in the same
/// transaction that reprices or voids the orders), so running it twice or concurrently changes nothing.
/// </summary>
public sealed class GroupBuyService(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    DispatcherSignal dispatcher,
    TimeProvider clock,
    ILogger<GroupBuyService> logger)
{
    private static readonly OrderStatus[] Live = [OrderStatus.Pending, OrderStatus.Paid];

    public async Task<Result<Guid>> CreateAsync(Actor actor, GroupBuyInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var offer = await SaleOffer.LoadAsync(db, actor, input.GroupId, input.ProductId, ct);
        if (offer.Value is not { } found)
        {
            return offer.Failure!;
        }

        var now = clock.GetUtcNow();
        var terms = new GroupBuyTerms(input.Tiers, input.MinParticipants, input.OpensAt, input.ClosesAt);
        var errors = terms.Check(now).Concat(input.Announce?.Announcements.Check(stock: null) ?? []).ToList();
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        var groupBuy = await AddAsync(db, actor, new SaleTarget(found.Group, found.Product), terms, input.Announce, now, ct);
        await SaveAsync(db, input.Announce, ct);
        return groupBuy.Id;
    }

    /// <summary>
    /// One group-buy in each of many groups, each in its own zone and currency, with the product and tiers overridden per
    /// group where given. All or nothing, like <see cref="FlashSaleService.CreateManyAsync"/>.
    /// </summary>
    public async Task<Result<BulkSaleOutcome>> CreateManyAsync(Actor actor, BulkGroupBuyInput input, CancellationToken ct)
    {
        var groupIds = input.GroupIds.Distinct().ToList();
        var errors = SaleGroups.CheckShape(groupIds, (input.OpensAt, "opensAt"), (input.ClosesAt, "closesAt"),
            ("productOverrides", input.ProductOverrides?.Keys), ("tierOverrides", input.TierOverrides?.Keys));
        errors.AddRange(new GroupBuyTerms(input.Tiers, input.MinParticipants, default, default).CheckOffer());
        errors.AddRange(input.Announce?.Announcements.Check(stock: null) ?? []);
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
                return new PlannedSale<GroupBuyTerms>(t.GroupId, null, null, t.Target.Failure);
            }

            var zone = TimeZones.Find(target.Group.TimeZoneId);
            var ownTiers = input.TierOverrides?.GetValueOrDefault(t.GroupId);
            var tiers = ownTiers ?? input.Tiers;
            var terms = new GroupBuyTerms(tiers, input.MinParticipants, input.OpensAt.In(zone), input.ClosesAt.In(zone));
            var problems = terms.Check(now).ToList();
            problems.AddIfAny(SaleGroups.OwnPriceProblem(target, input.ProductId, ownTiers is not null, "tiers"));
            return new PlannedSale<GroupBuyTerms>(t.GroupId, target, terms, problems.Count > 0 ? Failure.Invalid(problems) : null);
        }).ToList();
        return await SaleGroups.CreateAllAsync(db, planned,
            async (target, terms) => (await AddAsync(db, actor, target, terms, input.Announce, now, ct)).Id,
            () => SaveAsync(db, input.Announce, ct), ct);
    }

    private static async Task<GroupBuy> AddAsync(CommunityFunnelDbContext db, Actor actor, SaleTarget target, GroupBuyTerms terms, SaleAnnouncementInput? announce,
        DateTimeOffset now, CancellationToken ct)
    {
        var groupBuy = new GroupBuy(target.Group.Id, target.Product.Id, target.Product.Currency, terms, now);
        db.GroupBuys.Add(groupBuy);
        if (announce is not null && announce.Announcements.Any)
        {
            var link = SaleAnnouncer.LinkFor(SaleKind.GroupBuy, groupBuy.Id, announce.SiteBase);
            var plan = new SaleAnnouncementPlan(groupBuy.Id, SaleKind.GroupBuy, target.Group.Id, announce.Announcements, link, now);
            var channels = await SaleAnnouncer.ActiveChannelsAsync(db, target.Group.Id, ct);
            SaleAnnouncer.Plan(db, plan, SaleAnnouncer.GroupBuyFacts(groupBuy, target.Group, target.Product.Name, link), channels, now);
        }

        db.Audit(now, AuditCategory.Sales, actor, "group_buy.created", target.Group.Name,
            $"{target.Product.Name}: {string.Join(", ", terms.Tiers.Select(t => $"{t.Participants}+ at {t.Price}"))}, closes {terms.ClosesAt:u}");
        return groupBuy;
    }

    private async Task SaveAsync(CommunityFunnelDbContext db, SaleAnnouncementInput? announce, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        if (announce is not null && announce.Announcements.Any)
        {
            await dispatcher.WakeAllAsync(db, ct);
        }
    }

    public async Task<Result<GroupBuyView>> GetAsync(Actor actor, Guid groupBuyId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = (await ViewsAsync(db, db.GroupBuys.Where(g => g.Id == groupBuyId), ct)).SingleOrDefault();
        if (view is null)
        {
            return Failure.NotFound("The group-buy");
        }

        return await db.CanAccessGroupAsync(actor, view.GroupId, ct) ? view : Failure.Forbidden("this group-buy");
    }

    /// <summary>The member pages' read: no actor, the caller has already checked the member belongs to the group.</summary>
    public async Task<GroupBuyView?> FindAsync(Guid groupBuyId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await ViewsAsync(db, db.GroupBuys.Where(g => g.Id == groupBuyId), ct)).SingleOrDefault();
    }

    public async Task<Result<IReadOnlyList<GroupBuyView>>> ListForGroupAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.CanAccessGroupAsync(actor, groupId, ct))
        {
            return Failure.Forbidden("this group");
        }

        return await RecentAsync(db, [groupId], ct);
    }

    /// <summary>Group-buys closing in the last 30 days or later in these groups, for a caller that has checked access.</summary>
    internal async Task<List<GroupBuyView>> ListForGroupsAsync(IReadOnlyCollection<Guid> groupIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await RecentAsync(db, groupIds, ct);
    }

    private Task<List<GroupBuyView>> RecentAsync(CommunityFunnelDbContext db, IReadOnlyCollection<Guid> groupIds, CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddDays(-30);
        return ViewsAsync(db, db.GroupBuys.Where(g => groupIds.Contains(g.GroupId) && g.ClosesAt > since), ct);
    }

    public async Task<Result<GroupBuyJoinResult>> JoinForAsync(Actor actor, Guid groupBuyId, Guid memberId, int quantity, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.GroupBuyAccessFailureAsync(actor, groupBuyId, ct) is { } failure)
        {
            return failure;
        }

        return await JoinAsync(groupBuyId, memberId, quantity, ct);
    }

    /// <summary>Adds a member with <paramref name="quantity"/> portions at the price of the tier their joining reaches.</summary>
    public async Task<Result<GroupBuyJoinResult>> JoinAsync(Guid groupBuyId, Guid memberId, int quantity, CancellationToken ct)
    {
        if (quantity is < 1 or > GroupBuyTerms.MaxPortions)
        {
            return Failure.Invalid("invalid_quantity", $"Join with 1 to {GroupBuyTerms.MaxPortions} portions.", "quantity");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var groupBuy = await db.GroupBuys.FromSql($"SELECT * FROM funnel.group_buys WHERE id = {groupBuyId} FOR SHARE").AsNoTracking().SingleOrDefaultAsync(ct);
        if (groupBuy is null)
        {
            return Failure.NotFound("The group-buy");
        }

        var now = clock.GetUtcNow();
        if (!groupBuy.IsOpenAt(now) || await db.Groups.AnyAsync(g => g.Id == groupBuy.GroupId && g.IsArchived, ct))
        {
            return Failure.Unprocessable("not_open", groupBuy.StateAt(now) == GroupBuyState.Upcoming
                ? $"The group-buy opens at {groupBuy.OpensAt:u}."
                : "The group-buy has closed.");
        }

        var member = await db.Members.AsNoTracking().Where(m => m.Id == memberId)
            .Select(m => new { m.Id, InGroup = db.GroupMemberships.Any(gm => gm.MemberId == m.Id && gm.GroupId == groupBuy.GroupId) })
            .SingleOrDefaultAsync(ct);
        if (member is null)
        {
            return Failure.Unprocessable("unknown_member", "No such member.", "memberId");
        }

        if (!member.InGroup)
        {
            return Failure.Unprocessable("not_in_group", "The member does not belong to this group-buy's group.", "memberId");
        }

        var tier = await db.Products.Where(p => p.Id == groupBuy.ProductId).Select(p => p.Tier).SingleAsync(ct);
        var participants = await db.Orders.CountAsync(o => o.GroupBuyId == groupBuyId && Live.Contains(o.Status), ct);
        var source = new GroupBuySource(groupBuy.Id, groupBuy.GroupId, groupBuy.ProductId, tier, groupBuy.Currency);
        var order = Order.ForGroupBuy(memberId, source, quantity, groupBuy.PriceFor(participants + 1), now);
        db.Orders.Add(order);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Failure.Conflict("already_joined", "This member has already joined this group-buy.", "memberId");
        }

        return new GroupBuyJoinResult(order.Id, quantity, order.UnitPrice, participants + 1);
    }

    /// <summary>Settles every group-buy past its deadline; the job runs this every minute and at each deadline.</summary>
    public async Task<int> SettleDueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var due = await db.GroupBuys.Where(g => g.SettledAt == null && g.ClosesAt <= now).Select(g => g.Id).ToListAsync(ct);
        var settled = 0;
        foreach (var id in due)
        {
            settled += await SettleAsync(id, ct) ? 1 : 0;
        }

        return settled;
    }

    /// <summary>Settles one group-buy if it is due and not yet settled; returns whether this call settled it.</summary>
    public async Task<bool> SettleAsync(Guid groupBuyId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var groupBuy = await db.GroupBuys.FromSql($"SELECT * FROM funnel.group_buys WHERE id = {groupBuyId} FOR UPDATE").SingleOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        if (groupBuy is null || groupBuy.SettledAt is not null || now < groupBuy.ClosesAt)
        {
            return false;
        }

        var orders = await db.Orders.Where(o => o.GroupBuyId == groupBuyId && o.Status == OrderStatus.Pending).ToListAsync(ct);
        groupBuy.Settle(orders.Count, now);
        foreach (var order in orders)
        {
            _ = groupBuy.Succeeded == true ? order.SettleAt(groupBuy.FinalPrice!.Value) : order.Void(now);
        }

        db.Audit(now, AuditCategory.Sales, Actor.System, "group_buy.settled", groupBuy.Id.ToString(), groupBuy.Succeeded == true
            ? $"{orders.Count} joined: every portion at {groupBuy.FinalPrice}"
            : $"{orders.Count} joined, {groupBuy.MinParticipants} needed: every order voided");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Settled group-buy {GroupBuyId}: {Participants} participants, {Outcome}", groupBuy.Id, orders.Count,
            groupBuy.Succeeded == true ? $"price {groupBuy.FinalPrice}" : "voided");
        return true;
    }

    private async Task<List<GroupBuyView>> ViewsAsync(CommunityFunnelDbContext db, IQueryable<GroupBuy> groupBuys, CancellationToken ct)
    {
        var rows = await (
                from g in groupBuys
                join gr in db.Groups on g.GroupId equals gr.Id
                join p in db.Products on g.ProductId equals p.Id
                select new
                {
                    Buy = g,
                    GroupName = gr.Name,
                    gr.TimeZoneId,
                    ProductName = p.Name,
                    Participants = db.Orders.Count(o => o.GroupBuyId == g.Id && Live.Contains(o.Status)),
                    Portions = db.Orders.Where(o => o.GroupBuyId == g.Id && Live.Contains(o.Status)).Sum(o => (int?)o.Quantity) ?? 0,
                })
            .AsNoTracking()
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        return rows.Select(r =>
            {
                var g = r.Buy;
                var count = g.FinalParticipants ?? r.Participants;
                var next = g.SettledAt is null ? g.NextTierAfter(count) : null;
                return new GroupBuyView(g.Id, g.GroupId, r.GroupName, r.TimeZoneId, g.ProductId, r.ProductName, g.Currency, g.Tiers, g.MinParticipants,
                    g.OpensAt, g.ClosesAt, g.StateAt(now), count, r.Portions, g.FinalPrice ?? g.PriceFor(count), next,
                    next is null ? null : next.Participants - count, g.FinalPrice, g.SettledAt);
            })
            .OrderByDescending(v => v.OpensAt)
            .ToList();
    }
}
