using System.Collections.Concurrent;
using System.Globalization;

namespace CommunityFunnel.Domain.Common;

/// <summary>
/// An amount as the group's country writes it ("9,90 €" in Spain, "¥9.90" in China, "$9.90" in the US), whatever
/// language the text is in; the same rules as the member pages, so a post and the page it links to agree.
/// </summary>
public static class MoneyText
{
    private static readonly ConcurrentDictionary<(string? Country, string Language), CultureInfo> Cultures = new();
    private static readonly ConcurrentDictionary<string, string> Symbols = new();

    public static string Format(decimal amount, string currency, string? country, CultureInfo language)
    {
        var culture = Cultures.GetOrAdd((country, language.Name), key => MoneyCulture(key.Country, language));
        var format = culture.NumberFormat;
        if (RegionOf(culture)?.ISOCurrencySymbol != currency)
        {
            format = (NumberFormatInfo)format.Clone();
            format.CurrencySymbol = Symbols.GetOrAdd(currency, SymbolOf);
        }

        return amount.ToString("C2", format);
    }

    /// <summary>The country's own language where its code says so (de-DE, es-ES), else the text's language there (en-US, zh-Hans-CN), else its first culture.</summary>
    private static CultureInfo MoneyCulture(string? country, CultureInfo language)
    {
        if (country is null)
        {
            return language;
        }

        var cultures = CulturesOf(country);
        return cultures.FirstOrDefault(c => string.Equals(c.TwoLetterISOLanguageName, country, StringComparison.OrdinalIgnoreCase))
            ?? cultures.FirstOrDefault(c => c.Name == $"{language.Name}-{country}")
            ?? cultures.FirstOrDefault()
            ?? language;
    }

    /// <summary>A currency's symbol as its own country writes it (USD "$", CNY "¥"); the ISO code when there is none.</summary>
    private static string SymbolOf(string currency)
    {
        var home = CulturesOf(currency[..2]).FirstOrDefault(c => RegionOf(c)?.ISOCurrencySymbol == currency)
            ?? CultureInfo.GetCultures(CultureTypes.SpecificCultures).FirstOrDefault(c => RegionOf(c)?.ISOCurrencySymbol == currency);
        return home?.NumberFormat.CurrencySymbol ?? currency;
    }

    /// <summary>The specific cultures of a country (ISO 3166-1 alpha-2), e.g. de-DE, en-DE, hsb-DE for DE.</summary>
    public static List<CultureInfo> CulturesOf(string country) =>
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
