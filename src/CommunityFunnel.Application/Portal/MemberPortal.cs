using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Application.SignIn;
using CommunityFunnel.Domain.Members;
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
    MemberSignIn signIn,
    TimeProvider clock)
{
    public async Task<JoinInfo?> FindJoinAsync(string joinCode, string? referralCode, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var group = await db.Groups.AsNoTracking().Where(g => g.JoinCode == joinCode && !g.IsArchived)
            .Select(g => new { g.Id, g.Name, g.Language, g.Rules, g.Country, g.HostContact, IsFull = db.GroupMemberships.Count(gm => gm.GroupId == g.Id) >= g.Capacity })
            .SingleOrDefaultAsync(ct);
        if (group is null)
        {
            return null;
        }

        // A code that names nobody in this group is ignored here: the link still lets people join.
        var referrer = referralCode is null ? null
            : await db.Members.Where(m => m.ReferralCode == referralCode && db.GroupMemberships.Any(gm => gm.GroupId == group.Id && gm.MemberId == m.Id))
                .Select(m => new Referrer(m.Id, m.DisplayName)).SingleOrDefaultAsync(ct);
        return new JoinInfo(group.Id, group.Name, group.Language, group.Rules, referrer, group.IsFull, group.HostContact, group.Country);
    }

    /// <summary>The name of the group whose replaced join link this was, or null when the code was never a join link.</summary>
    public async Task<string?> RetiredJoinGroupAsync(string joinCode, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RetiredJoinCodes.Where(c => c.Code == joinCode)
            .Join(db.Groups.Where(g => !g.IsArchived), c => c.GroupId, g => g.Id, (_, g) => g.Name)
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// A newcomer joins a group as a Free member, with their referrer. A phone that is already registered changes
    /// nothing yet (anyone could type someone else's phone): a code goes to that phone, and the membership is added once
    /// the code is entered (<see cref="MemberSignIn.VerifyAsync"/>). The attempt is audited.
    /// </summary>
    public async Task<Result<JoinResult>> JoinAsync(string joinCode, JoinInput input, string clientAddress, CancellationToken ct)
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

        var (_, fieldErrors) = MemberFields.Validate(input.DisplayName, input.Phone, join.Country, null, null, null);
        errors.AddRange(fieldErrors.Where(e => errors.All(x => x.Field != e.Field)));
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        var saved = await members.AddNewcomerAsync(join.GroupId, new MemberInput(input.DisplayName, input.Phone, ReferrerId: join.Referrer?.MemberId), clientAddress, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (saved.Failure is { Code: MemberService.AlreadyRegistered })
        {
            var sent = await signIn.SendCodeAsync(input.Phone, join.Country, new SignInIntent(JoinGroupId: join.GroupId), clientAddress, ct);
            db.Audit(clock.GetUtcNow(), AuditCategory.Access, Actor.System, "member.join_code_sent", join.GroupName, sent.Succeeded
                ? $"A join with the registered phone ending {PhoneTail(input.Phone)} continues once the code sent to that phone is entered."
                : $"A join with the registered phone ending {PhoneTail(input.Phone)} could not continue: {sent.Failure!.Code}.");
            await db.SaveChangesAsync(ct);
            return sent.Value is { } code ? new JoinResult(null, code) : sent.Failure!;
        }

        if (saved.Value is not { } member)
        {
            return saved.Failure!;
        }

        db.Audit(clock.GetUtcNow(), AuditCategory.Access, Actor.System, "member.joined", join.GroupName,
            $"Joined through the group's link{(join.Referrer is null ? "" : ", referred")}; agreed to be contacted by phone.");
        await db.SaveChangesAsync(ct);
        return new JoinResult(member.Id, null);
    }

    public async Task<MemberHome?> HomeAsync(MemberScope session, CancellationToken ct)
    {
        var memberId = session.MemberId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groupsInScope = GroupsOf(db, session);
        var member = await db.Members.AsNoTracking().Where(m => m.Id == memberId)
            .Select(m => new
            {
                m.Id, m.DisplayName, m.Stage, m.ReferralCode,
                Referred = db.Members.Count(r => r.ReferrerId == m.Id && db.GroupMemberships.Any(gm => gm.MemberId == r.Id && groupsInScope.Contains(gm.GroupId))),
            })
            .SingleOrDefaultAsync(ct);
        if (member is null)
        {
            return null;
        }

        var groups = await (
                from gm in db.GroupMemberships
                join g in db.Groups on gm.GroupId equals g.Id
                where gm.MemberId == memberId && !g.IsArchived && groupsInScope.Contains(g.Id)
                orderby g.Name
                select new MemberGroup(g.Id, g.Name, g.JoinCode, g.Language, g.TimeZoneId, g.Country))
            .ToListAsync(ct);
        var soon = clock.GetUtcNow().AddDays(3);
        var groupIds = groups.Select(g => g.Id).ToList();
        var sales = (await flashSales.ListForGroupsAsync(groupIds, ct))
            .Where(s => s.State is FlashSaleState.Live or FlashSaleState.SoldOut || (s.State == FlashSaleState.Upcoming && s.StartsAt < soon));
        var buys = (await groupBuys.ListForGroupsAsync(groupIds, ct)).Where(b => b.State is GroupBuyState.Open or GroupBuyState.Upcoming);

        var orders = (await OrdersOf(db, db.Orders.Where(o => o.MemberId == memberId && groupsInScope.Contains(o.GroupId)).OrderByDescending(o => o.CreatedAt).Take(50)).ToListAsync(ct))
            .OrderByDescending(o => o.CreatedAt).ToList();
        return new MemberHome(member.Id, member.DisplayName, member.Stage, member.ReferralCode, member.Referred, groups,
            [.. sales.OrderBy(s => s.StartsAt)], [.. buys.OrderBy(b => b.ClosesAt)], orders);
    }

    /// <summary>
    /// What a new session needs: the language its pages start in (its first group's) and the member's current session
    /// stamp; null when there is no such member.
    /// </summary>
    public async Task<MemberSessionStart?> StartSessionAsync(MemberScope session, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groupsInScope = GroupsOf(db, session);
        var member = await db.Members.Where(m => m.Id == session.MemberId)
            .Select(m => new
            {
                m.SessionStamp,
                Language = (from gm in db.GroupMemberships
                            join g in db.Groups on gm.GroupId equals g.Id
                            where gm.MemberId == m.Id && !g.IsArchived && groupsInScope.Contains(g.Id)
                            orderby g.Name
                            select g.Language).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct);
        return member is null ? null : new MemberSessionStart(member.Language ?? "en", member.SessionStamp);
    }

    /// <summary>Whether a session opened with <paramref name="stamp"/> still stands (no revocation since).</summary>
    public async Task<bool> IsSessionCurrentAsync(Guid memberId, Guid stamp, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Members.AnyAsync(m => m.Id == memberId && m.SessionStamp == stamp, ct);
    }

    /// <summary>A flash sale in one of the member's groups, or null (unknown, or another group's: indistinguishable).</summary>
    public async Task<MemberFlashSale?> FlashSaleAsync(MemberScope session, Guid saleId, CancellationToken ct)
    {
        var memberId = session.MemberId;
        var sale = (await flashSales.GetAsync(Actor.System, saleId, ct)).Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (sale is null || !await IsInGroupAsync(db, session, sale.GroupId, ct))
        {
            return null;
        }

        var held = await db.FlashSaleBuyers.Where(b => b.FlashSaleId == saleId && b.MemberId == memberId).Select(b => b.Quantity).SingleOrDefaultAsync(ct);
        var stage = await db.Members.Where(m => m.Id == memberId).Select(m => m.Stage).SingleAsync(ct);
        return new MemberFlashSale(sale, held, stage >= sale.MinStage);
    }

    public async Task<Result<ClaimResult>> ClaimAsync(MemberScope session, Guid saleId, int quantity, string? idempotencyKey, CancellationToken ct)
    {
        var terms = await claims.FindTermsAsync(saleId, ct);
        return terms is null || !session.Allows(terms.GroupId)
            ? Failure.NotFound("The flash sale")
            : await claims.ClaimAsync(terms, session.MemberId, quantity, idempotencyKey, ct); // membership is checked inside the claim
    }

    /// <summary>Remaining stock and state, for the page's live counter; public, as the group sees the same numbers.</summary>
    public async Task<FlashSaleStock?> StockAsync(Guid saleId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sale = await db.FlashSales.AsNoTracking().SingleOrDefaultAsync(s => s.Id == saleId, ct);
        return sale is null ? null : new FlashSaleStock(sale.Remaining, sale.StateAt(clock.GetUtcNow()).ToString(), sale.StartsAt, sale.EndsAt);
    }

    public async Task<MemberGroupBuy?> GroupBuyAsync(MemberScope session, Guid groupBuyId, CancellationToken ct)
    {
        var memberId = session.MemberId;
        var groupBuy = await groupBuys.FindAsync(groupBuyId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (groupBuy is null || !await IsInGroupAsync(db, session, groupBuy.GroupId, ct))
        {
            return null;
        }

        var mine = await OrdersOf(db, db.Orders.Where(o => o.MemberId == memberId && o.GroupBuyId == groupBuyId).OrderByDescending(o => o.CreatedAt).Take(1))
            .FirstOrDefaultAsync(ct);
        return new MemberGroupBuy(groupBuy, mine);
    }

    public async Task<Result<GroupBuyJoinResult>> JoinGroupBuyAsync(MemberScope session, Guid groupBuyId, int quantity, CancellationToken ct)
    {
        var groupBuy = await groupBuys.FindAsync(groupBuyId, ct);
        return groupBuy is null || !session.Allows(groupBuy.GroupId)
            ? Failure.NotFound("The group-buy")
            : await groupBuys.JoinAsync(groupBuyId, session.MemberId, quantity, ct); // membership is checked inside the join
    }

    /// <summary>The language of the group behind a join code, flash sale or group-buy, for the page's culture.</summary>
    public async Task<string?> LanguageForAsync(string? joinCode, Guid? flashSaleId, Guid? groupBuyId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = db.Groups.AsNoTracking();
        if (joinCode is not null)
        {
            return await groups.Where(g => g.JoinCode == joinCode || db.RetiredJoinCodes.Any(c => c.Code == joinCode && c.GroupId == g.Id))
                .Select(g => g.Language).SingleOrDefaultAsync(ct);
        }

        if (flashSaleId is { } saleId)
        {
            return await groups.Where(g => db.FlashSales.Any(s => s.Id == saleId && s.GroupId == g.Id)).Select(g => g.Language).SingleOrDefaultAsync(ct);
        }

        return groupBuyId is { } buyId
            ? await groups.Where(g => db.GroupBuys.Any(b => b.Id == buyId && b.GroupId == g.Id)).Select(g => g.Language).SingleOrDefaultAsync(ct)
            : null;
    }

    /// <summary>The group behind a member page ("/join/{code}", a flash sale's or group-buy's page), for the sign-in page that leads back to it.</summary>
    public async Task<PageGroup?> GroupOfPageAsync(string? path, CancellationToken ct)
    {
        var segments = (path ?? "").Split('?', '#')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = db.Groups.AsNoTracking();
        var group = segments switch
        {
            ["join", var code] => groups.Where(g => g.JoinCode == code),
            ["me", "flash-sales", var id] when Guid.TryParse(id, out var saleId) => groups.Where(g => db.FlashSales.Any(s => s.Id == saleId && s.GroupId == g.Id)),
            ["me", "group-buys", var id] when Guid.TryParse(id, out var buyId) => groups.Where(g => db.GroupBuys.Any(b => b.Id == buyId && b.GroupId == g.Id)),
            _ => null,
        };
        return group is null ? null : await group.Select(g => new PageGroup(g.Name, g.Language, g.Platform, g.Country)).SingleOrDefaultAsync(ct);
    }

    private static Task<bool> IsInGroupAsync(CommunityFunnelDbContext db, MemberScope session, Guid groupId, CancellationToken ct) =>
        session.Allows(groupId)
            ? db.GroupMemberships.AnyAsync(gm => gm.MemberId == session.MemberId && gm.GroupId == groupId, ct)
            : Task.FromResult(false);

    /// <summary>The ids of the groups a session may see, as a query (all groups for an unscoped session).</summary>
    private static IQueryable<Guid> GroupsOf(CommunityFunnelDbContext db, MemberScope session) =>
        session.GroupIds is { } ids ? db.Groups.Where(g => ids.Contains(g.Id)).Select(g => g.Id) : db.Groups.Select(g => g.Id);

    /// <summary>Enough of a phone for the audit log to tell attempts apart, not enough to learn the number.</summary>
    private static string PhoneTail(string? phone) => phone is { Length: > 4 } ? phone[^4..] : "";

    /// <summary>Filter, sort and page <paramref name="orders"/> first: a record built in SQL cannot be filtered afterwards.</summary>
    private static IQueryable<MemberOrder> OrdersOf(CommunityFunnelDbContext db, IQueryable<Order> orders) =>
        from o in orders
        join p in db.Products on o.ProductId equals p.Id
        where o.Status != OrderStatus.Voided
        select new MemberOrder(o.Id, o.GroupId, p.Name, o.Quantity, o.UnitPrice, o.Currency, o.Status, o.CreatedAt, o.PaymentDueAt, o.FlashSaleId, o.GroupBuyId,
            o.RefundedAmount);
}
