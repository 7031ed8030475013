namespace CommunityFunnel.Domain.Common;

/// <summary>
/// Wall-clock times in a group's IANA zone to UTC instants, the way people mean them across daylight-saving changes:
/// a time skipped by the spring-forward gap moves forward by the gap (02:30 on 2026-03-29 in Madrid is 03:30 local);
/// a time that happens twice in the autumn means its first occurrence.
/// </summary>
public static class LocalTimes
{
    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var wallClock = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wallClock))
        {
            var gap = zone.GetAdjustmentRules()
                .Where(r => r.DateStart <= wallClock && wallClock <= r.DateEnd)
                .Select(r => r.DaylightDelta)
                .DefaultIfEmpty(TimeSpan.FromHours(1))
                .First();
            wallClock = wallClock.Add(gap);
        }

        var offset = zone.IsAmbiguousTime(wallClock)
            ? zone.GetAmbiguousTimeOffsets(wallClock).Max() // the larger offset is the earlier (summer-time) instant
            : zone.GetUtcOffset(wallClock);
        return new DateTimeOffset(wallClock, offset).ToUniversalTime();
    }

    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;
}
