using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Application.Members;

/// <summary>
/// A member's editable fields, normalized, with every problem found (shared by the form, the API and CSV import). The
/// phone is read in <c>country</c>, the group's (see <see cref="PhoneNormalizer"/>).
/// </summary>
internal sealed record MemberFields(string DisplayName, string? Phone, string? ExternalId, IReadOnlyList<string> Tags, string Notes)
{
    public const int ExternalIdMaxLength = 100;

    public static (MemberFields Fields, List<RuleViolation> Errors) Validate(
        string? displayName, string? phone, string? country, string? externalId, IEnumerable<string>? tags, string? notes)
    {
        var errors = new List<RuleViolation>();
        errors.AddIfAny(TextRules.CheckName(displayName, "displayName", Member.DisplayNameMaxLength, out var name));
        errors.AddIfAny(PhoneNormalizer.CheckOptional(phone, country, "phone", out var cleanPhone));
        errors.AddIfAny(CheckExternalId(externalId, out var cleanExternalId));
        var (cleanTags, cleanNotes) = CheckDescription(tags, notes, errors);
        return (new MemberFields(name, cleanPhone, cleanExternalId, cleanTags, cleanNotes), errors);
    }

    /// <summary>A group's tags and notes about a member, normalized; problems go to <paramref name="errors"/>.</summary>
    public static (IReadOnlyList<string> Tags, string Notes) CheckDescription(IEnumerable<string>? tags, string? notes, List<RuleViolation> errors)
    {
        errors.AddIfAny(TextRules.CheckOptionalText(notes, "notes", GroupMembership.NotesMaxLength, out var cleanNotes));
        var cleanTags = new List<string>();
        foreach (var tag in tags ?? [])
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                continue;
            }

            var error = TextRules.CheckName(tag, "tags", GroupMembership.TagMaxLength, out var cleanTag);
            errors.AddIfAny(error);
            if (error is null && !cleanTags.Contains(cleanTag, StringComparer.OrdinalIgnoreCase))
            {
                cleanTags.Add(cleanTag);
            }
        }

        if (cleanTags.Count > GroupMembership.MaxTags)
        {
            errors.Add(new RuleViolation("too_many_tags", $"A member has at most {GroupMembership.MaxTags} tags.", "tags"));
        }

        return (cleanTags, cleanNotes);
    }

    private static RuleViolation? CheckExternalId(string? value, out string? normalized)
    {
        var trimmed = (value ?? "").Trim();
        normalized = trimmed.Length == 0 ? null : trimmed;
        if (trimmed.Length > ExternalIdMaxLength)
        {
            return new RuleViolation("external_id_too_long", $"Platform id must be at most {ExternalIdMaxLength} characters.", "externalId");
        }

        return trimmed.Any(char.IsControl) || trimmed.Any(char.IsWhiteSpace)
            ? new RuleViolation("invalid_external_id", "Platform id must not contain spaces or control characters.", "externalId")
            : null;
    }
}
