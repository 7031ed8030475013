using CommunityFunnel.Application.Groups;
using CommunityFunnel.Domain.Common;
using PhoneNumbers;

namespace CommunityFunnel.Application.Members;

/// <summary>
/// The one way a typed phone becomes the stored one: E.164 ("+4915198765432"), read as a number of the group's country
/// when written without a country code. Phones are the merchant's key to a person, so "0151 9876 5432" in a German group
/// and "+49 151 98765432" are the same member. Every path that takes a phone (join, operator forms, API, CSV import)
/// goes through here.
/// </summary>
public static class PhoneNormalizer
{
    public const string Invalid = "phone_invalid";

    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// A phone that is blank (none given) or valid in <paramref name="country"/> or as an international number; anything
    /// else, including letters and extensions, is refused with <see cref="Invalid"/> at <paramref name="field"/>.
    /// </summary>
    public static RuleViolation? CheckOptional(string? value, string? country, string field, out string? e164)
    {
        var trimmed = (value ?? "").Trim();
        e164 = trimmed.Length == 0 ? null : Normalize(trimmed, country);
        if (trimmed.Length == 0 || e164 is not null)
        {
            return null;
        }

        var shown = trimmed.Length > 40 ? trimmed[..40] + "…" : trimmed;
        return new RuleViolation(Invalid, country is null
            ? $"'{shown}' is not a valid phone number. The group has no country, so write it with + and the country code (for example +86 138 0013 8000)."
            : $"'{shown}' is not a valid phone number in {GroupCountries.Describe(country)}. Check the digits, or write it with + and the country code.",
            field);
    }

    /// <summary>The E.164 form of <paramref name="value"/>, or null when it is no valid phone there (lookups and the backfill use this).</summary>
    public static string? Normalize(string? value, string? country)
    {
        var trimmed = (value ?? "").Trim();
        // Vanity letters ("1-800-FLOWERS") and extensions are no one's own phone; E.164 would silently drop an extension.
        if (trimmed.Length == 0 || trimmed.Any(char.IsLetter))
        {
            return null;
        }

        try
        {
            var number = Numbers.Parse(trimmed, country ?? "ZZ"); // "ZZ": no default region, so only +country numbers parse
            return Numbers.IsValidNumber(number) && !number.HasExtension ? Numbers.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>A mobile number of <paramref name="country"/> as people there write it ("01512 3456789"), to show as an example.</summary>
    public static string? ExampleFor(string? country) =>
        country is null ? null : Numbers.GetExampleNumberForType(country, PhoneNumberType.MOBILE) is { } example
            ? Numbers.Format(example, PhoneNumberFormat.NATIONAL)
            : null;
}
