namespace CommunityFunnel.Web.Api;

internal static class EnumInput
{
    /// <summary>Parses an enum by name only (case-insensitive): "1" or "99" are not names and are refused.</summary>
    public static bool TryParse<T>(string? value, out T parsed)
        where T : struct, Enum
    {
        parsed = default;
        var text = value?.Trim();
        return !string.IsNullOrEmpty(text) && !char.IsAsciiDigit(text[0]) && text[0] != '-'
            && Enum.TryParse(text, ignoreCase: true, out parsed) && Enum.IsDefined(parsed);
    }
}
