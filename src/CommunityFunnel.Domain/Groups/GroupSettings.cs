using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Groups;

/// <summary>
/// What an operator types to create or edit a group; <see cref="Validate"/> normalizes it and lists every problem.
/// <see cref="Country"/> is checked by the application, against the phone-numbering regions it knows.
/// </summary>
public sealed record GroupSettings(
    string Name,
    ChatPlatform Platform,
    string TimeZoneId,
    string Currency,
    int Capacity,
    string AudienceNotes,
    IReadOnlyList<string> Rules,
    string Language,
    string HostContact = "",
    string? Country = null)
{
    public static (GroupSettings Settings, IReadOnlyList<RuleViolation> Errors) Validate(
        string? name,
        ChatPlatform platform,
        string? timeZoneId,
        string? currency,
        int? capacity,
        string? audienceNotes,
        IEnumerable<string>? rules,
        string? language = null,
        string? hostContact = null)
    {
        var errors = new List<RuleViolation>();
        errors.AddIfAny(TextRules.CheckName(name, "name", Group.NameMaxLength, out var cleanName));
        if (!Enum.IsDefined(platform))
        {
            errors.Add(new RuleViolation("unknown_platform", "Platform must be one of WeCom, WeChat, Telegram, Discord, Slack, Other.", "platform"));
        }

        errors.AddIfAny(TimeZones.Check(timeZoneId, "timeZone", out var zone));
        errors.AddIfAny(GroupLanguages.Check(language, zone, "language", out var cleanLanguage));
        errors.AddIfAny(Currencies.Check(currency, "currency", out var cleanCurrency));
        var cleanCapacity = capacity ?? Group.DefaultCapacity;
        if (cleanCapacity is < 1 or > Group.MaxCapacity)
        {
            errors.Add(new RuleViolation("invalid_capacity", $"Capacity must be between 1 and {Group.MaxCapacity}.", "capacity"));
        }

        errors.AddIfAny(TextRules.CheckOptionalText(audienceNotes, "audienceNotes", Group.AudienceNotesMaxLength, out var notes));
        errors.AddIfAny(TextRules.CheckOptionalText(hostContact, "hostContact", Group.HostContactMaxLength, out var contact));

        var cleanRules = new List<string>();
        foreach (var (rule, index) in (rules ?? []).Select((r, i) => (r, i)))
        {
            if (string.IsNullOrWhiteSpace(rule))
            {
                continue;
            }

            var error = TextRules.CheckName(rule, "rules", Group.RuleMaxLength, out var cleanRule);
            errors.AddIfAny(error is null ? null : error with { Message = $"Rule {index + 1}: {error.Message}" });
            cleanRules.Add(cleanRule);
        }

        if (cleanRules.Count > Group.MaxRules)
        {
            errors.Add(new RuleViolation("too_many_rules", $"A group has at most {Group.MaxRules} rules.", "rules"));
        }

        return (new GroupSettings(cleanName, platform, zone, cleanCurrency, cleanCapacity, notes, cleanRules, cleanLanguage, contact), errors);
    }
}
