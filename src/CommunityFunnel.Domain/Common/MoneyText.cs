using System.Globalization;

namespace CommunityFunnel.Domain.Common;

/// <summary>An amount as people in the group write it: ¥9.90 in Shanghai, 9,90 € in Madrid, $9.90 in New York.</summary>
public static class MoneyText
{
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["CNY"] = "¥", ["JPY"] = "¥", ["EUR"] = "€", ["USD"] = "$", ["GBP"] = "£", ["HKD"] = "HK$", ["TWD"] = "NT$", ["MOP"] = "MOP$",
        ["SGD"] = "S$", ["AUD"] = "A$", ["CAD"] = "C$", ["NZD"] = "NZ$", ["KRW"] = "₩", ["INR"] = "₹", ["THB"] = "฿", ["VND"] = "₫",
    };

    public static string Format(decimal amount, string currency, CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = Symbols.GetValueOrDefault(currency, currency);
        format.CurrencyDecimalDigits = currency is "JPY" or "KRW" or "VND" ? 0 : 2;
        return amount.ToString("C", format);
    }
}
