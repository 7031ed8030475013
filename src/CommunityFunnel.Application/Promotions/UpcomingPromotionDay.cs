using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Promotions;

namespace CommunityFunnel.Application.Promotions;

/// <summary>
/// A group's next promotion day as its members see it: the whole local day (rebates count multiplied from its first
/// minute to its last, in the group's zone), or today's while it lasts.
/// </summary>
public sealed record UpcomingPromotionDay(DateOnly Date, DateTimeOffset StartsAt, DateTimeOffset EndsAt, decimal Multiplier, string? GiftName)
{
    public bool IsUnderWay(DateTimeOffset now) => StartsAt <= now;

    public static UpcomingPromotionDay Of(PromotionDay day, string timeZoneId, string? giftName, DateTimeOffset now)
    {
        var zone = TimeZones.Find(timeZoneId);
        var date = day.NextOnOrAfter(DateOnly.FromDateTime(LocalTimes.ToLocal(now, zone)));
        return new UpcomingPromotionDay(date,
            LocalTimes.ToUtc(date.ToDateTime(TimeOnly.MinValue), zone),
            LocalTimes.ToUtc(date.AddDays(1).ToDateTime(TimeOnly.MinValue), zone),
            day.Multiplier, giftName);
    }
}
