using CommunityFunnel.Application.Common;

namespace CommunityFunnel.Web.Components.Common;

/// <summary>A failure's messages by form field, for MudBlazor inputs' Error / ErrorText; the rest shown above the form.</summary>
public sealed class FieldErrors
{
    private Failure? _failure;

    public bool Any => _failure is not null;

    public void Set(Failure? failure) => _failure = failure;

    public void Clear() => _failure = null;

    public bool Has(string field) => For(field) is not null;

    public string? For(string field)
    {
        var messages = _failure?.Violations.Where(v => string.Equals(v.Field, field, StringComparison.OrdinalIgnoreCase)).Select(v => v.Message).ToList();
        return messages is { Count: > 0 } ? string.Join(" ", messages) : null;
    }

    /// <summary>Messages not tied to one of the form's <paramref name="shownFields"/>.</summary>
    public IEnumerable<string> Others(params string[] shownFields) =>
        _failure?.Violations.Where(v => v.Field is null || !shownFields.Contains(v.Field, StringComparer.OrdinalIgnoreCase)).Select(v => v.Message) ?? [];
}
