using System.Globalization;
using System.Text.RegularExpressions;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Announcements;

/// <summary>What a post knows when it is written: the event, the group, when it starts there, and the link.</summary>
public sealed record PostContext(string Event, string Group, DateTimeOffset StartsAt, TimeZoneInfo Zone, string? Link, DateTimeOffset PostedAt, CultureInfo Culture);

/// <summary>
/// Announcement text with placeholders: {event}, {group}, {starts_at} (local time of the group), {countdown}
/// ("in 2 days", "in 1 hour") and {link}. Unknown placeholders are an error, so a typo never reaches a group.
/// </summary>
public static partial class PostTemplate
{
    public const int MaxLength = 4000;
    public static readonly IReadOnlyList<string> Placeholders = ["event", "group", "starts_at", "countdown", "link"];

    public static IReadOnlyList<RuleViolation> Validate(string? template, string field = "text")
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return [new RuleViolation("text_required", "The post text is empty.", field)];
        }

        var errors = new List<RuleViolation>();
        if (template.Length > MaxLength)
        {
            errors.Add(new RuleViolation("text_too_long", $"A post is at most {MaxLength} characters (this one has {template.Length}).", field));
        }

        var unknown = Placeholder().Matches(template).Select(m => m.Groups[1].Value).Where(name => !Placeholders.Contains(name)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            errors.Add(new RuleViolation("unknown_placeholder",
                $"Unknown placeholder {string.Join(", ", unknown.Select(u => "{" + u + "}"))}; use {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.", field));
        }

        return errors;
    }

    public static string Render(string template, PostContext context) =>
        Placeholder().Replace(template, match => match.Groups[1].Value switch
        {
            "event" => context.Event,
            "group" => context.Group,
            "starts_at" => StartsAt(context),
            "countdown" => Countdown(context.StartsAt - context.PostedAt, context.Culture),
            "link" => context.Link ?? "",
            _ => match.Value,
        });

    /// <summary>A fixed 24-hour pattern: culture "f" patterns differ between ICU versions (even in their spaces).</summary>
    private static string StartsAt(PostContext context) =>
        LocalTimes.ToLocal(context.StartsAt, context.Zone).ToString(
            context.Culture.TwoLetterISOLanguageName == "zh" ? "yyyy年M月d日 dddd HH:mm" : "dddd d MMMM yyyy, HH:mm", context.Culture);

    /// <summary>"in 3 days", "in 1 hour", "in 10 minutes", "now"; in Chinese 3天后 (Traditional 3天後) …, in Spanish "en 3 días" ….</summary>
    public static string Countdown(TimeSpan left, CultureInfo culture)
    {
        var (count, unit) = left switch
        {
            { TotalMinutes: < 1 } => (0, 0),
            { TotalHours: < 1 } => ((int)Math.Round(left.TotalMinutes), 0),
            { TotalDays: < 1 } => ((int)Math.Round(left.TotalHours), 1),
            _ => ((int)Math.Round(left.TotalDays), 2),
        };
        var one = count == 1;
        var language = culture.TwoLetterISOLanguageName == "zh" && culture.Name.StartsWith("zh-Hant", StringComparison.Ordinal) ? "zh-Hant" : culture.TwoLetterISOLanguageName;
        return (language, count) switch
        {
            ("zh-Hant", 0) => "現在",
            ("zh-Hant", _) => count + new[] { "分鐘後", "小時後", "天後" }[unit],
            ("zh", 0) => "现在",
            ("zh", _) => count + new[] { "分钟后", "小时后", "天后" }[unit],
            ("es", 0) => "ahora",
            ("es", _) => $"en {count} " + (one ? new[] { "minuto", "hora", "día" } : ["minutos", "horas", "días"])[unit],
            (_, 0) => "now",
            _ => $"in {count} " + (one ? new[] { "minute", "hour", "day" } : ["minutes", "hours", "days"])[unit],
        };
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
