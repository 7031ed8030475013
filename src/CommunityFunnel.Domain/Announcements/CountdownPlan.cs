using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Announcements;

public sealed record ScheduledPost(CountdownStep Step, DateTimeOffset DueAt);

/// <summary>The posts that lead up to an event: the playbook's default is one a day for three days, then the last hour.</summary>
public sealed class CountdownPlan
{
    public const int MaxSteps = 20;

    private CountdownPlan(IReadOnlyList<CountdownStep> steps) => Steps = steps;

    public IReadOnlyList<CountdownStep> Steps { get; }

    /// <summary>One post a day at <paramref name="dailyAt"/> on each of the 3 days before, then 1 hour, 10 minutes before, and at the start.</summary>
    public static CountdownPlan Default(TimeOnly dailyAt) => new(
    [
        CountdownStep.DaysBeforeAt(3, dailyAt),
        CountdownStep.DaysBeforeAt(2, dailyAt),
        CountdownStep.DaysBeforeAt(1, dailyAt),
        CountdownStep.BeforeStart(TimeSpan.FromHours(1)),
        CountdownStep.BeforeStart(TimeSpan.FromMinutes(10)),
        CountdownStep.BeforeStart(TimeSpan.Zero),
    ]);

    public static (CountdownPlan? Plan, IReadOnlyList<RuleViolation> Errors) Create(IEnumerable<CountdownStep> steps)
    {
        var list = steps.Distinct().ToList();
        if (list.Count == 0)
        {
            return (null, [new RuleViolation("plan_empty", "A countdown plan needs at least one step.", "plan")]);
        }

        return list.Count > MaxSteps
            ? (null, [new RuleViolation("plan_too_long", $"A countdown plan has at most {MaxSteps} steps.", "plan")])
            : (new CountdownPlan(list), []);
    }

    /// <summary>
    /// When each step posts for an event starting at <paramref name="start"/> in <paramref name="zone"/>, in order;
    /// steps already in the past (before <paramref name="now"/>) are left out.
    /// </summary>
    public IReadOnlyList<ScheduledPost> Schedule(DateTimeOffset start, TimeZoneInfo zone, DateTimeOffset now) =>
        Steps.Select(step => new ScheduledPost(step, step.DueFor(start, zone)))
            .Where(p => p.DueAt >= now)
            .OrderBy(p => p.DueAt)
            .ToList();
}
