namespace CommunityFunnel.Domain.Common;

/// <summary>ISO 4217 codes the app accepts for groups, products and price bands.</summary>
public static class Currencies
{
    public const string Default = "CNY";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "CNY", "EUR", "USD", "GBP", "JPY", "HKD", "TWD", "MOP", "SGD", "MYR", "THB", "VND", "IDR", "PHP", "KRW",
        "INR", "AUD", "NZD", "CAD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "TRY", "AED", "SAR",
        "ILS", "BRL", "MXN", "ARS", "CLP", "COP", "PEN", "ZAR",
    };

    private static readonly HashSet<string> WithoutMinorUnit = new(StringComparer.Ordinal) { "JPY", "KRW", "VND", "CLP" };

    public static IReadOnlyCollection<string> All => Known;

    /// <summary>The smallest amount the currency is paid in: a cent, or a whole unit for yen, won, dong and Chilean pesos.</summary>
    public static decimal MinorUnit(string currency) => WithoutMinorUnit.Contains(currency) ? 1m : 0.01m;

    /// <summary>Upper-cases and validates a currency code; returns the error, or null when known.</summary>
    public static RuleViolation? Check(string? value, string field, out string normalized)
    {
        normalized = (value ?? "").Trim().ToUpperInvariant();
        if (normalized.Length == 0)
        {
            normalized = Default;
            return null;
        }

        return Known.Contains(normalized)
            ? null
            : new RuleViolation("unknown_currency", $"'{value}' is not a supported ISO 4217 currency code.", field);
    }
}
