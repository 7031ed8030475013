namespace CommunityFunnel.Domain.Common;

/// <summary>Groups schedule in IANA time zones ("Asia/Shanghai"), never in fixed offsets or Windows ids.</summary>
public static class TimeZones
{
    public static RuleViolation? Check(string? value, string field, out string normalized)
    {
        normalized = (value ?? "").Trim();
        if (normalized.Length == 0)
        {
            return new RuleViolation("time_zone_required", "Time zone is required (an IANA name such as Asia/Shanghai).", field);
        }

        // A Windows id ("China Standard Time") resolves on Linux too, but without an IANA id: refuse it.
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(normalized, out var zone) || !zone.HasIanaId)
        {
            return new RuleViolation("unknown_time_zone", $"'{normalized}' is not a known IANA time zone (for example Asia/Shanghai or Europe/Madrid).", field);
        }

        normalized = zone.Id;
        return null;
    }

    public static TimeZoneInfo Find(string ianaId) => TimeZoneInfo.FindSystemTimeZoneById(ianaId);
}
