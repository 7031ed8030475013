using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Members;

/// <summary>Phones are the merchant's key to a person: stored as "+" and digits only, so "138 0013-8000" matches "13800138000".</summary>
public static class PhoneNumbers
{
    public static RuleViolation? CheckOptional(string? value, string field, out string? normalized)
    {
        normalized = null;
        var trimmed = (value ?? "").Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        var allowedOnly = trimmed.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.')
            || (trimmed[0] == '+' && trimmed[1..].All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.'));
        if (!allowedOnly || digits.Length is < 5 or > 15)
        {
            return new RuleViolation("invalid_phone", $"'{trimmed}' is not a phone number (5 to 15 digits, optionally starting with +).", field);
        }

        normalized = trimmed[0] == '+' ? "+" + digits : digits;
        return null;
    }
}
