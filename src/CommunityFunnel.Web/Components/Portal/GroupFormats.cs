using System.Collections.Concurrent;
using System.Globalization;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Web.Components.Portal;

/// <summary>
/// Money and times as the group writes them. Money follows the group's country (<see cref="MoneyText"/>, shared with
/// the posts that link here); dates and times follow the page's language as spoken in that country ("04/12/2026 20:00"
/// in English in Germany), in the group's time zone.
/// </summary>
internal static class GroupFormats
{
    private static readonly ConcurrentDictionary<(string? Country, string Language), CultureInfo> TimeCultures = new();

    public static string Money(decimal amount, string currency, string? country) =>
        MoneyText.Format(amount, currency, country, CultureInfo.CurrentCulture);

    public static string Time(DateTimeOffset instant, string timeZoneId, string? country) =>
        LocalTimes.ToLocal(instant, TimeZones.Find(timeZoneId)).ToString("g", TimeCultures.GetOrAdd((country, CultureInfo.CurrentCulture.Name), TimeCulture));

    public static string Date(DateTimeOffset instant, string timeZoneId, string? country) =>
        LocalTimes.ToLocal(instant, TimeZones.Find(timeZoneId)).ToString("d", TimeCultures.GetOrAdd((country, CultureInfo.CurrentCulture.Name), TimeCulture));

    private static CultureInfo TimeCulture((string? Country, string Language) key) =>
        key.Country is null ? CultureInfo.CurrentCulture
            : MoneyText.CulturesOf(key.Country).FirstOrDefault(c => c.Name == $"{key.Language}-{key.Country}") ?? CultureInfo.CurrentCulture;
}
