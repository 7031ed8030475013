using System.Globalization;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Application.Promotions;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.Domain.Sharing;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Sharing;

/// <summary>
/// Sharing a group: a member's share links, posters and the people they brought, always as themselves and only in
/// their own groups; and the group's own join poster for those who run it.
/// </summary>
public sealed class SharingService(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory, FlashSaleService flashSales, GroupBuyService groupBuys, TimeProvider clock)
{
    /// <summary>How far ahead an upcoming sale is worth putting on a poster.</summary>
    private static readonly TimeSpan OfferHorizon = TimeSpan.FromDays(3);

    /// <summary>The people listed per page, newest first.</summary>
    private const int MaxPeopleShown = 500;

    public async Task<MemberShare?> MemberShareAsync(MemberScope session, CancellationToken ct)
    {
        var memberId = session.MemberId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var referralCode = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => m.ReferralCode).SingleOrDefaultAsync(ct);
        if (referralCode is null)
        {
            return null;
        }

        var groups = (await (
                    from gm in db.GroupMemberships
                    join g in db.Groups on gm.GroupId equals g.Id
                    where gm.MemberId == memberId && !g.IsArchived
                    orderby g.Name
                    select new { g.Id, g.Name, g.JoinCode, g.TimeZoneId, g.Country })
                .ToListAsync(ct))
            .Where(g => session.Allows(g.Id))
            .ToList();
        var groupIds = groups.Select(g => g.Id).ToList();
        var people = await (
                from r in db.Members
                join gm in db.GroupMemberships on r.Id equals gm.MemberId
                where r.ReferrerId == memberId && groupIds.Contains(gm.GroupId)
                orderby gm.JoinedAt descending, r.Id descending
                select new
                {
                    gm.GroupId, r.DisplayName, gm.JoinedAt,
                    HasPaid = db.Orders.Any(o => o.MemberId == r.Id && o.GroupId == gm.GroupId && o.Status == OrderStatus.Paid),
                })
            .Take(MaxPeopleShown)
            .ToListAsync(ct);

        var promotionDays = await (
                from d in db.PromotionDays.AsNoTracking()
                where groupIds.Contains(d.GroupId)
                select new { Day = d, Gift = db.Products.Where(p => p.Id == d.GiftProductId).Select(p => p.Name).FirstOrDefault() })
            .ToDictionaryAsync(d => d.Day.GroupId, ct);
        var now = clock.GetUtcNow();

        return new MemberShare(referralCode, [.. groups.Select(g => new SharedGroup(
            g.Id, g.Name, g.JoinCode, g.TimeZoneId, g.Country,
            [.. people.Where(p => p.GroupId == g.Id).Select(p => new BroughtPerson(ShortNames.Of(p.DisplayName), p.JoinedAt, p.HasPaid))],
            promotionDays.TryGetValue(g.Id, out var promotion) ? UpcomingPromotionDay.Of(promotion.Day, g.TimeZoneId, promotion.Gift, now) : null))]);
    }

    /// <summary>The member's share link in one of their groups, or null (not their group, archived, or unknown: indistinguishable).</summary>
    public Task<PosterSubject?> MemberLinkAsync(MemberScope session, Guid groupId, CancellationToken ct) => MemberSubjectAsync(session, groupId, withOffer: false, ct);

    /// <summary>The member's poster for one of their groups, with the offer of the day; null as for <see cref="MemberLinkAsync"/>.</summary>
    public Task<PosterSubject?> MemberPosterAsync(MemberScope session, Guid groupId, CancellationToken ct) => MemberSubjectAsync(session, groupId, withOffer: true, ct);

    /// <summary>The group's own join poster, for its operators and the admins.</summary>
    public async Task<Result<PosterSubject>> GroupPosterAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindInGroupForAsync(actor, db.Groups.Where(g => g.Id == groupId).Select(g => new { g.Id, g.Name, g.JoinCode, g.Language, g.Country }),
            g => g.Id, "group", ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        return new PosterSubject(group.Name, group.JoinCode, group.Language, null, null, await OfferOfTheDayAsync(groupId, group.Language, group.Country, ct));
    }

    private async Task<PosterSubject?> MemberSubjectAsync(MemberScope session, Guid groupId, bool withOffer, CancellationToken ct)
    {
        if (!session.Allows(groupId))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await (
                from gm in db.GroupMemberships
                join g in db.Groups on gm.GroupId equals g.Id
                join m in db.Members on gm.MemberId equals m.Id
                where gm.MemberId == session.MemberId && gm.GroupId == groupId && !g.IsArchived
                select new { g.Name, g.JoinCode, g.Language, g.Country, m.DisplayName, m.ReferralCode })
            .SingleOrDefaultAsync(ct);
        return found is null ? null
            : new PosterSubject(found.Name, found.JoinCode, found.Language, found.DisplayName, found.ReferralCode,
                withOffer ? await OfferOfTheDayAsync(groupId, found.Language, found.Country, ct) : null);
    }

    /// <summary>
    /// What the group offers a newcomer now or soon, in its language: a live flash sale, else an open group-buy, else the
    /// next of either within a few days; null when nothing is on. Sales for higher stages only are left out, as a
    /// newcomer could not buy them.
    /// </summary>
    private async Task<string?> OfferOfTheDayAsync(Guid groupId, string language, string? country, CancellationToken ct)
    {
        var soon = clock.GetUtcNow() + OfferHorizon;
        var culture = CultureInfo.GetCultureInfo(language);
        var sales = (await flashSales.ListForGroupsAsync([groupId], ct))
            .Where(s => s.MinStage == FunnelStage.Free && (s.State == FlashSaleState.Live || (s.State == FlashSaleState.Upcoming && s.StartsAt < soon)))
            .Select(s => (Rank: s.State == FlashSaleState.Live ? 0 : 2, s.StartsAt,
                Text: PosterTexts.FlashSale(s.ProductName, MoneyText.Format(s.Price, s.Currency, country, culture), language)));
        var buys = (await groupBuys.ListForGroupsAsync([groupId], ct))
            .Where(b => b.State == GroupBuyState.Open || (b.State == GroupBuyState.Upcoming && b.OpensAt < soon))
            .Select(b => (Rank: b.State == GroupBuyState.Open ? 1 : 3, StartsAt: b.OpensAt,
                Text: PosterTexts.GroupBuy(b.ProductName, MoneyText.Format(b.CurrentPrice, b.Currency, country, culture), language)));
        return sales.Concat(buys).OrderBy(o => o.Rank).ThenBy(o => o.StartsAt).Select(o => o.Text).FirstOrDefault();
    }
}
