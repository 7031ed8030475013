using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Groups;

/// <summary>The languages a group's posts and member pages can be written in.</summary>
public static class GroupLanguages
{
    public static readonly IReadOnlyList<string> Supported = ["en", "zh-Hans", "zh-Hant", "es"];

    /// <summary>A sensible first choice from where the group lives; the operator can change it.</summary>
    public static string DefaultFor(string timeZoneId) => timeZoneId switch
    {
        "Asia/Shanghai" or "Asia/Chongqing" or "Asia/Harbin" or "Asia/Urumqi" or "PRC" => "zh-Hans",
        "Asia/Taipei" or "Asia/Hong_Kong" or "Asia/Macau" => "zh-Hant",
        "Europe/Madrid" or "Atlantic/Canary" or "Africa/Ceuta" => "es",
        _ => "en",
    };

    public static RuleViolation? Check(string? value, string timeZoneId, string field, out string normalized)
    {
        normalized = string.IsNullOrWhiteSpace(value) ? DefaultFor(timeZoneId) : value.Trim();
        var candidate = normalized;
        var match = Supported.FirstOrDefault(l => string.Equals(l, candidate, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            return new RuleViolation("unknown_language", $"Language must be one of {string.Join(", ", Supported)}.", field);
        }

        normalized = match;
        return null;
    }
}
