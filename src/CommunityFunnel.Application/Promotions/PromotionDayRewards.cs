using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Referrals;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Promotions;
using CommunityFunnel.Domain.Referrals;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Promotions;

/// <summary>What the promotion day changes: it multiplies rebates, and with a gift product it gives gift packs.</summary>
public static class PromotionDayRewards
{
    /// <summary>The group's promotion day when <paramref name="at"/> falls on it (in the group's zone), else null.</summary>
    public static async Task<PromotionDay?> OnAsync(CommunityFunnelDbContext db, Guid groupId, DateTimeOffset at, CancellationToken ct)
    {
        var found = await (from p in db.PromotionDays
                           join g in db.Groups on p.GroupId equals g.Id
                           where p.GroupId == groupId
                           select new { Day = p, g.TimeZoneId }).AsNoTracking().SingleOrDefaultAsync(ct);
        return found is not null && IsOn(found.Day, found.TimeZoneId, at) ? found.Day : null;
    }

    /// <summary>The multiplier for rebates earned at <paramref name="at"/> under the group's promotion day, if it has one.</summary>
    public static decimal RebateMultiplier(PromotionDay? day, string? timeZoneId, DateTimeOffset at) =>
        day is not null && timeZoneId is not null && IsOn(day, timeZoneId, at) ? day.Multiplier : 1m;

    private static bool IsOn(PromotionDay day, string timeZoneId, DateTimeOffset at) =>
        day.IsOn(DateOnly.FromDateTime(LocalTimes.ToLocal(at, TimeZones.Find(timeZoneId))));

    internal static async Task GiveAsync(CommunityFunnelDbContext db, Guid memberId, Guid groupId, Guid productId, Guid referralId, DateTimeOffset at, CancellationToken ct)
    {
        var product = await db.Products.AsNoTracking().Where(p => p.Id == productId).Select(p => new { p.Tier, p.Currency }).SingleAsync(ct);
        if (!await db.Orders.AnyAsync(o => o.MemberId == memberId && o.GiftForReferralId == referralId, ct))
        {
            db.Orders.Add(Order.Gift(memberId, groupId, productId, product.Tier, product.Currency, referralId, at));
        }
    }
}

/// <summary>A newcomer who joins through a referral on the promotion day gets the day's gift pack (a referral flagged for review does not).</summary>
internal sealed class GiveNewcomerGiftOnPromotionDay : IHandles<MemberReferred>
{
    public async Task HandleAsync(CommunityFunnelDbContext db, MemberReferred domainEvent, CancellationToken ct)
    {
        if (domainEvent.Status == ReferralStatus.Accepted
            && await PromotionDayRewards.OnAsync(db, domainEvent.GroupId, domainEvent.OccurredAt, ct) is { GiftProductId: { } gift })
        {
            await PromotionDayRewards.GiveAsync(db, domainEvent.MemberId, domainEvent.GroupId, gift, domainEvent.ReferralId, domainEvent.OccurredAt, ct);
        }
    }
}

/// <summary>The referrer of a newcomer who got a promotion-day gift gets the same gift once the newcomer's first order is paid.</summary>
internal sealed class GiveReferrerGiftWhenNewcomerFirstPays : IHandles<ReferredOrderPaid>
{
    public async Task HandleAsync(CommunityFunnelDbContext db, ReferredOrderPaid referred, CancellationToken ct)
    {
        if (!referred.HasNewcomerGift)
        {
            return;
        }

        var paid = referred.Paid;
        var newcomerGift = await db.Orders.AsNoTracking()
            .Where(o => o.MemberId == paid.MemberId && o.Status == OrderStatus.Gifted && o.GiftForReferralId != null
                && db.Referrals.Any(r => r.Id == o.GiftForReferralId && r.MemberId == paid.MemberId))
            .Select(o => new { o.GiftForReferralId, o.ProductId, o.GroupId, ReferrerId = db.Referrals.Where(r => r.Id == o.GiftForReferralId).Select(r => r.ReferrerId).Single() })
            .FirstOrDefaultAsync(ct);
        if (newcomerGift is null || await db.Orders.CountAsync(o => o.MemberId == paid.MemberId && o.Status == OrderStatus.Paid, ct) != 1)
        {
            return;
        }

        await PromotionDayRewards.GiveAsync(db, newcomerGift.ReferrerId, newcomerGift.GroupId, newcomerGift.ProductId, newcomerGift.GiftForReferralId!.Value, paid.OccurredAt, ct);
    }
}
