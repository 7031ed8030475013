using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Sales;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Portal;

/// <summary>
/// What members do on the public pages, always as themselves: the member id comes from their signed session, and
/// every read and action is limited to the groups they belong to.
/// </summary>
public sealed class MemberPortal(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    MemberService members,
    FlashSaleService flashSales,
    FlashSaleClaims claims,
    GroupBuyService groupBuys,
    TimeProvider clock)
{
    public async Task<JoinInfo?> FindJoinAsync(string joinCode, string? referralCode, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var group = await db.Groups.AsNoTracking().Where(g => g.JoinCode == joinCode && !g.IsArchived)
            .Select(g => new { g.Id, g.Name, g.Language, g.Rules }).SingleOrDefaultAsync(ct);
        if (group is null)
        {
            return null;
        }

        var referrer = referralCode is null ? null
            : await db.Members.Where(m => m.ReferralCode == referralCode).Select(m => new Referrer(m.Id, m.DisplayName)).SingleOrDefaultAsync(ct);
        return new JoinInfo(group.Id, group.Name, group.Language, group.Rules, referrer);
    }

    /// <summary>
    /// A newcomer joins a group as a Free member, with their referrer. A phone already registered does not sign anyone
    /// in (anyone could type it): that person uses the personal link their operator sends.
    /// </summary>
    public async Task<Result<Guid>> JoinAsync(string joinCode, JoinInput input, CancellationToken ct)
    {
        var join = await FindJoinAsync(joinCode, input.ReferralCode, ct);
        if (join is null)
        {
            return Failure.NotFound("This join link");
        }

        var errors = new List<Domain.Common.RuleViolation>();
        if (string.IsNullOrWhiteSpace(input.Phone))
        {
            errors.Add(new("phone_required", "Enter your phone number.", "phone"));
        }

        if (!input.Consent)
        {
            errors.Add(new("consent_required", "Please agree to be contacted about the group's offers.", "consent"));
        }

        var (_, fieldErrors) = MemberFields.Validate(input.DisplayName, input.Phone, null, null, null);
        errors.AddRange(fieldErrors.Where(e => errors.All(x => x.Field != e.Field)));
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        var saved = await members.AddToGroupAsync(Actor.System, join.GroupId, new MemberInput(input.DisplayName, input.Phone, ReferrerId: join.Referrer?.MemberId), ct);
        if (saved.Value is not { } member)
        {
            return saved.Failure!;
        }

        if (!member.Created)
        {
            return Failure.Conflict("known_phone", "This phone number is already registered. Open the personal link your group's host sent you, or ask them for one.", "phone");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Audit(clock.GetUtcNow(), AuditCategory.Access, Actor.System, "member.joined", join.GroupName,
            $"Joined through the group's link{(join.Referrer is null ? "" : ", referred")}; agreed to be contacted by phone.");
        await db.SaveChangesAsync(ct);
        return member.Id;
    }

    public async Task<MemberHome?> HomeAsync(Guid memberId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var member = await db.Members.AsNoTracking().Where(m => m.Id == memberId)
            .Select(m => new { m.Id, m.DisplayName, m.Stage, m.ReferralCode, Referred = db.Members.Count(r => r.ReferrerId == m.Id) })
            .SingleOrDefaultAsync(ct);
        if (member is null)
        {
            return null;
        }

        var groups = await (
                from gm in db.GroupMemberships
                join g in db.Groups on gm.GroupId equals g.Id
                where gm.MemberId == memberId && !g.IsArchived
                orderby g.Name
                select new MemberGroup(g.Id, g.Name, g.JoinCode, g.Language, g.TimeZoneId))
            .ToListAsync(ct);
        var soon = clock.GetUtcNow().AddDays(3);
        var groupIds = groups.Select(g => g.Id).ToList();
        var sales = (await flashSales.ListForGroupsAsync(groupIds, ct))
            .Where(s => s.State is FlashSaleState.Live or FlashSaleState.SoldOut || (s.State == FlashSaleState.Upcoming && s.StartsAt < soon));
        var buys = (await groupBuys.ListForGroupsAsync(groupIds, ct)).Where(b => b.State is GroupBuyState.Open or GroupBuyState.Upcoming);

        var orders = (await OrdersOf(db, db.Orders.Where(o => o.MemberId == memberId).OrderByDescending(o => o.CreatedAt).Take(50)).ToListAsync(ct))
            .OrderByDescending(o => o.CreatedAt).ToList();
        return new MemberHome(member.Id, member.DisplayName, member.Stage, member.ReferralCode, member.Referred, groups,
            [.. sales.OrderBy(s => s.StartsAt)], [.. buys.OrderBy(b => b.ClosesAt)], orders);
    }

    /// <summary>The language a member's pages start in (their first group's), or null when there is no such member.</summary>
    public async Task<string?> SignInLanguageAsync(Guid memberId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var member = await db.Members.Where(m => m.Id == memberId)
            .Select(m => new
            {
                Language = (from gm in db.GroupMemberships
                            join g in db.Groups on gm.GroupId equals g.Id
                            where gm.MemberId == m.Id && !g.IsArchived
                            orderby g.Name
                            select g.Language).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct);
        return member is null ? null : member.Language ?? "en";
    }

    /// <summary>A flash sale in one of the member's groups, or null (unknown, or another group's: indistinguishable).</summary>
    public async Task<MemberFlashSale?> FlashSaleAsync(Guid memberId, Guid saleId, CancellationToken ct)
    {
        var sale = (await flashSales.GetAsync(Actor.System, saleId, ct)).Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (sale is null || !await IsInGroupAsync(db, memberId, sale.GroupId, ct))
        {
            return null;
        }

        var held = await db.FlashSaleBuyers.Where(b => b.FlashSaleId == saleId && b.MemberId == memberId).Select(b => b.Quantity).SingleOrDefaultAsync(ct);
        var stage = await db.Members.Where(m => m.Id == memberId).Select(m => m.Stage).SingleAsync(ct);
        return new MemberFlashSale(sale, held, stage >= sale.MinStage);
    }

    public async Task<Result<ClaimResult>> ClaimAsync(Guid memberId, Guid saleId, int quantity, string? idempotencyKey, CancellationToken ct)
    {
        var terms = await claims.FindTermsAsync(saleId, ct);
        return terms is null
            ? Failure.NotFound("The flash sale")
            : await claims.ClaimAsync(terms, memberId, quantity, idempotencyKey, ct); // membership is checked inside the claim
    }

    /// <summary>Remaining stock and state, for the page's live counter; public, as the group sees the same numbers.</summary>
    public async Task<FlashSaleStock?> StockAsync(Guid saleId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sale = await db.FlashSales.AsNoTracking().SingleOrDefaultAsync(s => s.Id == saleId, ct);
        return sale is null ? null : new FlashSaleStock(sale.Remaining, sale.StateAt(clock.GetUtcNow()).ToString(), sale.StartsAt, sale.EndsAt);
    }

    public async Task<MemberGroupBuy?> GroupBuyAsync(Guid memberId, Guid groupBuyId, CancellationToken ct)
    {
        var groupBuy = await groupBuys.FindAsync(groupBuyId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (groupBuy is null || !await IsInGroupAsync(db, memberId, groupBuy.GroupId, ct))
        {
            return null;
        }

        var mine = await OrdersOf(db, db.Orders.Where(o => o.MemberId == memberId && o.GroupBuyId == groupBuyId).OrderByDescending(o => o.CreatedAt).Take(1))
            .FirstOrDefaultAsync(ct);
        return new MemberGroupBuy(groupBuy, mine);
    }

    public Task<Result<GroupBuyJoinResult>> JoinGroupBuyAsync(Guid memberId, Guid groupBuyId, int quantity, CancellationToken ct) =>
        groupBuys.JoinAsync(groupBuyId, memberId, quantity, ct); // membership is checked inside the join

    /// <summary>The language of the group behind a join code, flash sale or group-buy, for the page's culture.</summary>
    public async Task<string?> LanguageForAsync(string? joinCode, Guid? flashSaleId, Guid? groupBuyId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = db.Groups.AsNoTracking();
        if (joinCode is not null)
        {
            return await groups.Where(g => g.JoinCode == joinCode).Select(g => g.Language).SingleOrDefaultAsync(ct);
        }

        if (flashSaleId is { } saleId)
        {
            return await groups.Where(g => db.FlashSales.Any(s => s.Id == saleId && s.GroupId == g.Id)).Select(g => g.Language).SingleOrDefaultAsync(ct);
        }

        return groupBuyId is { } buyId
            ? await groups.Where(g => db.GroupBuys.Any(b => b.Id == buyId && b.GroupId == g.Id)).Select(g => g.Language).SingleOrDefaultAsync(ct)
            : null;
    }

    private static Task<bool> IsInGroupAsync(CommunityFunnelDbContext db, Guid memberId, Guid groupId, CancellationToken ct) =>
        db.GroupMemberships.AnyAsync(gm => gm.MemberId == memberId && gm.GroupId == groupId, ct);

    /// <summary>Filter, sort and page <paramref name="orders"/> first: a record built in SQL cannot be filtered afterwards.</summary>
    private static IQueryable<MemberOrder> OrdersOf(CommunityFunnelDbContext db, IQueryable<Order> orders) =>
        from o in orders
        join p in db.Products on o.ProductId equals p.Id
        where o.Status != OrderStatus.Voided
        select new MemberOrder(o.Id, o.GroupId, p.Name, o.Quantity, o.UnitPrice, o.Currency, o.Status, o.CreatedAt, o.PaymentDueAt, o.FlashSaleId, o.GroupBuyId);
}
