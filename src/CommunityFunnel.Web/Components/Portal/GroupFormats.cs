using System.Collections.Concurrent;
using System.Globalization;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Web.Components.Portal;

/// <summary>
/// Money and times as the group writes them. Money follows the group's country ("9,90 €" in Germany, "¥9.90" in
/// China, "$9.90" in the US), whatever the page's language; dates and times follow the page's language as spoken in
/// that country ("04/12/2026 20:00" in English in Germany), in the group's time zone.
/// </summary>
internal static class GroupFormats
{
    private static readonly ConcurrentDictionary<(string? Country, string Language), CultureInfo> MoneyCultures = new();
    private static readonly ConcurrentDictionary<(string? Country, string Language), CultureInfo> TimeCultures = new();
    private static readonly ConcurrentDictionary<string, string> Symbols = new();

    public static string Money(decimal amount, string currency, string? country)
    {
        var culture = MoneyCultures.GetOrAdd((country, CultureInfo.CurrentCulture.Name), key => MoneyCulture(key.Country));
        var format = culture.NumberFormat;
        if (RegionOf(culture)?.ISOCurrencySymbol != currency)
        {
            format = (NumberFormatInfo)format.Clone();
            format.CurrencySymbol = Symbols.GetOrAdd(currency, SymbolOf);
        }

        return amount.ToString("C2", format);
    }

    public static string Time(DateTimeOffset instant, string timeZoneId, string? country) =>
        LocalTimes.ToLocal(instant, TimeZones.Find(timeZoneId))
            .ToString("g", TimeCultures.GetOrAdd((country, CultureInfo.CurrentCulture.Name), key => InCountry(key.Language, key.Country) ?? CultureInfo.CurrentCulture));

    /// <summary>
    /// The culture money is written in: the country's own language where its code says so (de-DE, es-ES, fr-FR),
    /// else the page's language in that country (en-US, zh-Hans-CN, es-MX), else the country's first culture.
    /// </summary>
    private static CultureInfo MoneyCulture(string? country)
    {
        if (country is null)
        {
            return CultureInfo.CurrentCulture;
        }

        var cultures = CulturesOf(country);
        return cultures.FirstOrDefault(c => string.Equals(c.TwoLetterISOLanguageName, country, StringComparison.OrdinalIgnoreCase))
            ?? InCountry(CultureInfo.CurrentCulture.Name, country)
            ?? cultures.FirstOrDefault()
            ?? CultureInfo.CurrentCulture;
    }

    private static CultureInfo? InCountry(string language, string? country) =>
        country is null ? null : CulturesOf(country).FirstOrDefault(c => c.Name == $"{language}-{country}");

    /// <summary>A currency's symbol as its own country writes it (USD "$", CNY "¥"); the ISO code when there is none.</summary>
    private static string SymbolOf(string currency)
    {
        var home = CulturesOf(currency[..2]).FirstOrDefault(c => RegionOf(c)?.ISOCurrencySymbol == currency)
            ?? CultureInfo.GetCultures(CultureTypes.SpecificCultures).FirstOrDefault(c => RegionOf(c)?.ISOCurrencySymbol == currency);
        return home?.NumberFormat.CurrencySymbol ?? currency;
    }

    private static List<CultureInfo> CulturesOf(string country) =>
        [.. CultureInfo.GetCultures(CultureTypes.SpecificCultures).Where(c => string.Equals(RegionOf(c)?.TwoLetterISORegionName, country, StringComparison.OrdinalIgnoreCase))];

    private static RegionInfo? RegionOf(CultureInfo culture)
    {
        try
        {
            return new RegionInfo(culture.Name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
