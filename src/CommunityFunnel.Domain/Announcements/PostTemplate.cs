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

    /// <summary>"in 3 days", "in 1 hour", "in 10 minutes", "now" (or 3天后, 1小时后, 10分钟后, 现在).</summary>
    public static string Countdown(TimeSpan left, CultureInfo culture)
    {
        var chinese = culture.TwoLetterISOLanguageName == "zh";
        var (count, unit) = left switch
        {
            { TotalMinutes: < 1 } => (0, ""),
            { TotalHours: < 1 } => ((int)Math.Round(left.TotalMinutes), "minute"),
            { TotalDays: < 1 } => ((int)Math.Round(left.TotalHours), "hour"),
            _ => ((int)Math.Round(left.TotalDays), "day"),
        };
        if (count == 0)
        {
            return chinese ? "现在" : "now";
        }

        if (chinese)
        {
            return count + unit switch { "minute" => "分钟后", "hour" => "小时后", _ => "天后" };
        }

        return $"in {count} {unit}{(count == 1 ? "" : "s")}";
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
