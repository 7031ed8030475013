using System.Collections.Frozen;
using System.Globalization;
using CommunityFunnel.Domain.Common;
using NodaTime.TimeZones;
using PhoneNumbers;

namespace CommunityFunnel.Application.Groups;

/// <summary>
/// A group's country (ISO 3166-1 alpha-2): the default region for phones written without a country code. The codes
/// are the regions libphonenumber numbers; the default comes from the group's IANA zone through the tz database's own
/// zone -> country table (zone.tab, as NodaTime ships it), so "Europe/Berlin" gives DE without a table of ours.
/// </summary>
public static class GroupCountries
{
    public const string Invalid = "country_invalid";

    // The regions libphonenumber numbers that .NET can also name (it cannot name AC, EH and TA).
    private static readonly FrozenSet<string> Known = PhoneNumberUtil.GetInstance().GetSupportedRegions().Where(HasName).ToFrozenSet();

    private static readonly FrozenDictionary<string, string> CountryByZone = BuildCountryByZone();

    /// <summary>Every country a group can have, by English name.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Known.OrderBy(EnglishName, StringComparer.Ordinal)];

    /// <summary>The country of an IANA zone ("Asia/Shanghai" -> "CN"); null for zones of no country ("UTC").</summary>
    public static string? FromTimeZone(string timeZoneId) =>
        CountryByZone.TryGetValue(timeZoneId, out var country) && Known.Contains(country) ? country : null;

    /// <summary>A chosen country, or (when blank) the one of the group's zone.</summary>
    public static RuleViolation? Check(string? value, string timeZoneId, string field, out string? country)
    {
        var trimmed = (value ?? "").Trim().ToUpperInvariant();
        if (trimmed.Length == 0)
        {
            country = FromTimeZone(timeZoneId);
            return null;
        }

        country = Known.Contains(trimmed) ? trimmed : null;
        return country is null
            ? new RuleViolation(Invalid, $"'{value!.Trim()}' is not a country code: use the two letters of ISO 3166-1 (for example DE, CN or US), or leave it empty to take the time zone's country.", field)
            : null;
    }

    /// <summary>The country to show as chosen in a form: null when it is just the zone's own (so a new zone brings its country along).</summary>
    public static string? Chosen(string? country, string timeZoneId) => country == FromTimeZone(timeZoneId) ? null : country;

    public static string EnglishName(string country) => new RegionInfo(country).EnglishName;

    /// <summary>"Germany (DE, +49)": how the back office names a country.</summary>
    public static string Describe(string country) =>
        $"{EnglishName(country)} ({country}, +{PhoneNumberUtil.GetInstance().GetCountryCodeForRegion(country)})";

    /// <summary>"Deutschland (+49)": how members, who live there, name their own country.</summary>
    public static string DescribeNatively(string country) =>
        $"{new RegionInfo(country).NativeName} (+{PhoneNumberUtil.GetInstance().GetCountryCodeForRegion(country)})";

    private static bool HasName(string region)
    {
        try
        {
            return new RegionInfo(region).TwoLetterISORegionName == region;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static FrozenDictionary<string, string> BuildCountryByZone()
    {
        var source = TzdbDateTimeZoneSource.Default;
        var byZone = (source.ZoneLocations ?? []).ToDictionary(l => l.ZoneId, l => l.CountryCode, StringComparer.Ordinal);
        // Old names ("Asia/Calcutta", "PRC", "US/Eastern") are not in zone.tab: they take their canonical zone's country.
        foreach (var (alias, canonical) in source.CanonicalIdMap)
        {
            if (!byZone.ContainsKey(alias) && byZone.TryGetValue(canonical, out var country))
            {
                byZone[alias] = country;
            }
        }

        return byZone.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
