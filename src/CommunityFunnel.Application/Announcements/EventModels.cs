namespace CommunityFunnel.Application.Announcements;

/// <summary>
/// A countdown step as people write it: { "daysBefore": 2, "at": "20:00" } or { "minutesBefore": 60 } (0 = at the start).
/// </summary>
public sealed record PlanStepInput(int? DaysBefore = null, string? At = null, int? MinutesBefore = null);

/// <summary>Without steps, the playbook's default: daily at <see cref="DailyAt"/> (default: the start's local time) for 3 days, then 1 h, 10 min, 0.</summary>
public sealed record PlanInput(string? DailyAt = null, IReadOnlyList<PlanStepInput>? Steps = null, string? Template = null);

/// <summary>
/// <see cref="StartsAt"/> without an offset ("2026-11-27T20:00") is a wall-clock time in each group's own zone;
/// with one ("…Z", "+08:00") it is the same instant everywhere.
/// </summary>
public sealed record EventInput(
    IReadOnlyList<Guid>? GroupIds,
    string? Title,
    string? StartsAt,
    string? EndsAt = null,
    string? Link = null,
    string? Description = null,
    PlanInput? Plan = null);

public sealed record ScheduledPostRow(Guid GroupId, DateTimeOffset DueAt, string Text);

public sealed record EventScheduled(Guid Id, IReadOnlyList<ScheduledPostRow> Posts);
