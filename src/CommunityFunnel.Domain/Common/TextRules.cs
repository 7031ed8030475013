using System.Globalization;
using System.Text;

namespace CommunityFunnel.Domain.Common;

/// <summary>Checks for free text people type: names, notes, rules. Emoji and right-to-left scripts are welcome.</summary>
public static class TextRules
{
    /// <summary>Trims and validates a required short name; returns the error, or null when <paramref name="value"/> is fine.</summary>
    public static RuleViolation? CheckName(string? value, string field, int maxLength, out string normalized)
    {
        normalized = (value ?? "").Trim();
        if (normalized.Length == 0)
        {
            return new RuleViolation("name_required", $"{Label(field)} is required.", field);
        }

        if (normalized.Length > maxLength)
        {
            return new RuleViolation("name_too_long", $"{Label(field)} must be at most {maxLength} characters (got {normalized.Length}).", field);
        }

        return HasControlCharacters(normalized)
            ? new RuleViolation("invalid_characters", $"{Label(field)} must not contain control characters.", field)
            : null;
    }

    /// <summary>Validates optional free text (line breaks allowed); returns null when fine.</summary>
    public static RuleViolation? CheckOptionalText(string? value, string field, int maxLength, out string normalized)
    {
        normalized = (value ?? "").Trim();
        if (normalized.Length > maxLength)
        {
            return new RuleViolation("text_too_long", $"{Label(field)} must be at most {maxLength} characters (got {normalized.Length}).", field);
        }

        return normalized.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')
            ? new RuleViolation("invalid_characters", $"{Label(field)} must not contain control characters.", field)
            : null;
    }

    private static bool HasControlCharacters(string value) =>
        value.Any(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.LineSeparator);

    /// <summary>The field as people read it in a message: "displayName" is "Display name", not "DisplayName".</summary>
    private static string Label(string field)
    {
        if (field.Length == 0)
        {
            return "Value";
        }

        var words = new StringBuilder().Append(char.ToUpperInvariant(field[0]));
        foreach (var c in field[1..])
        {
            words.Append(char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c);
        }

        return words.ToString();
    }
}
