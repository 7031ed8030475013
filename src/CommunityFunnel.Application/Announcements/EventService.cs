using System.Globalization;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Announcements;

/// <summary>
/// Events and their countdowns: each group gets its own start (20:00 there), its own posts in its own language,
/// and one delivery per channel. <see cref="PreviewAsync"/> is the same computation without writing anything.
/// </summary>
public sealed class EventService(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    IEnumerable<IChannelConnector> connectors,
    DispatcherSignal dispatcher,
    TimeProvider clock)
{
    public const string DefaultTemplate = "⏰ {event}: {countdown} · {starts_at} {link}";
    private static readonly TimeSpan StillMattersAfterStart = TimeSpan.FromMinutes(15);

    public Task<Result<EventScheduled>> CreateAsync(Actor actor, EventInput input, CancellationToken ct) => PlanAsync(actor, input, save: true, ct);

    public Task<Result<EventScheduled>> PreviewAsync(Actor actor, EventInput input, CancellationToken ct) => PlanAsync(actor, input, save: false, ct);

    private async Task<Result<EventScheduled>> PlanAsync(Actor actor, EventInput input, bool save, CancellationToken ct)
    {
        var errors = new List<RuleViolation>();
        errors.AddIfAny(TextRules.CheckName(input.Title, "title", SalesEvent.TitleMaxLength, out var title));
        errors.AddIfAny(TextRules.CheckOptionalText(input.Description, "description", SalesEvent.DescriptionMaxLength, out var description));
        var link = string.IsNullOrWhiteSpace(input.Link) ? null : input.Link.Trim();
        if (link is not null && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || link.Length > 500))
        {
            errors.Add(new RuleViolation("invalid_link", "The link must be an absolute http(s) address.", "link"));
        }

        var start = ParseWhen(input.StartsAt, "startsAt", required: true, errors);
        var end = ParseWhen(input.EndsAt, "endsAt", required: false, errors);
        var template = input.Plan?.Template ?? DefaultTemplate;
        errors.AddRange(PostTemplate.Validate(template, "plan.template"));
        var steps = ParseSteps(input.Plan, errors);
        var groupIds = (input.GroupIds ?? []).Distinct().ToList();
        if (groupIds.Count is 0 or > AnnouncementService.MaxGroups)
        {
            errors.Add(new RuleViolation("groups_required", $"Choose between 1 and {AnnouncementService.MaxGroups} groups.", "groupIds"));
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = await db.VisibleGroups(actor).AsNoTracking().Where(g => groupIds.Contains(g.Id)).ToListAsync(ct);
        if (groups.Count != groupIds.Count)
        {
            return Failure.Forbidden("one of these groups");
        }

        var channels = await db.Channels.AsNoTracking().Where(c => groupIds.Contains(c.GroupId) && c.IsActive).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var @event = new SalesEvent(title, description, link, now);
        var rows = new List<ScheduledPostRow>();
        foreach (var group in groups)
        {
            var zone = TimeZones.Find(group.TimeZoneId);
            var startsAt = start!.Value.Instant ?? LocalTimes.ToUtc(start.Value.WallClock!.Value, zone);
            var endsAt = end is { } e ? e.Instant ?? LocalTimes.ToUtc(e.WallClock!.Value, zone) : (DateTimeOffset?)null;
            if (startsAt <= now)
            {
                errors.Add(new RuleViolation("event_in_past", $"In {group.Name} ({group.TimeZoneId}) the event would start in the past.", "startsAt"));
                continue;
            }

            if (endsAt <= startsAt)
            {
                errors.Add(new RuleViolation("ends_before_start", "The event must end after it starts.", "endsAt"));
                continue;
            }

            var plan = steps ?? CountdownPlan.Default(TimeOnly.FromDateTime(LocalTimes.ToLocal(startsAt, zone)));
            var culture = CultureInfo.GetCultureInfo(group.Language);
            db.EventOccurrences.Add(new EventOccurrence(@event.Id, group.Id, startsAt, endsAt));
            foreach (var scheduled in plan.Schedule(startsAt, zone, now))
            {
                var text = PostTemplate.Render(template, new PostContext(title, group.Name, startsAt, zone, link, scheduled.DueAt, culture)).Trim();
                PlatformLimits.Check(connectors, group.Name, text, channels.Where(c => c.GroupId == group.Id), "plan.template", errors);
                var deadline = Min(scheduled.DueAt + AnnouncementService.TooLateAfter, startsAt + StillMattersAfterStart);
                var post = new Post(@event.Id, group.Id, text, scheduled.DueAt, deadline, now);
                db.Posts.Add(post);
                db.Deliveries.AddRange(channels.Where(c => c.GroupId == group.Id).Select(c => new Delivery(post.Id, c.Id, post.DueAt, post.Deadline)));
                rows.Add(new ScheduledPostRow(group.Id, scheduled.DueAt, text));
            }
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors.DistinctBy(e => e.Message).ToList());
        }

        if (save)
        {
            db.Events.Add(@event);
            await db.SaveChangesAsync(ct);
            await dispatcher.WakeAllAsync(db, ct);
        }

        return new EventScheduled(@event.Id, [.. rows.OrderBy(r => r.DueAt)]);
    }

    private readonly record struct When(DateTimeOffset? Instant, DateTime? WallClock);

    /// <summary>"2026-11-27T20:00" is local to each group; "2026-11-27T12:00Z" or "+08:00" is one instant.</summary>
    private static When? ParseWhen(string? text, string field, bool required, List<RuleViolation> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(new RuleViolation("starts_at_required", "When does the event start?", field));
            }

            return null;
        }

        var value = text.Trim();
        var timePart = value.Contains('T', StringComparison.Ordinal) ? value[value.IndexOf('T', StringComparison.Ordinal)..] : value;
        var hasOffset = value.EndsWith('Z') || timePart.Contains('+', StringComparison.Ordinal) || timePart.LastIndexOf('-') > 0;
        if (hasOffset && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return new When(instant.ToUniversalTime(), null);
        }

        if (!hasOffset && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wallClock))
        {
            return new When(null, wallClock);
        }

        errors.Add(new RuleViolation("invalid_time", $"'{value}' is not a date and time such as 2026-11-27T20:00.", field));
        return null;
    }

    private static CountdownPlan? ParseSteps(PlanInput? plan, List<RuleViolation> errors)
    {
        if (plan?.DailyAt is { } dailyAt && plan.Steps is null)
        {
            if (TimeOnly.TryParse(dailyAt, CultureInfo.InvariantCulture, out var at))
            {
                return CountdownPlan.Default(at);
            }

            errors.Add(new RuleViolation("invalid_time_of_day", $"'{dailyAt}' is not a time of day such as 20:00.", "plan.dailyAt"));
            return null;
        }

        if (plan?.Steps is not { } inputs)
        {
            return null;
        }

        var steps = new List<CountdownStep>();
        foreach (var (step, index) in inputs.Select((s, i) => (s, i + 1)))
        {
            if (step.MinutesBefore is { } minutes && step.DaysBefore is null)
            {
                if (minutes < 0)
                {
                    errors.Add(new RuleViolation("step_after_start", $"Step {index} would post {-minutes} minutes after the event starts.", "plan.steps"));
                }
                else if (minutes > CountdownStep.MaxDaysBefore * 24 * 60)
                {
                    errors.Add(new RuleViolation("step_too_early", $"Step {index} is more than {CountdownStep.MaxDaysBefore} days before the start.", "plan.steps"));
                }
                else
                {
                    steps.Add(CountdownStep.BeforeStart(TimeSpan.FromMinutes(minutes)));
                }
            }
            else if (step.DaysBefore is { } days && step.MinutesBefore is null
                && TimeOnly.TryParse(step.At, CultureInfo.InvariantCulture, out var at) && days is >= 1 and <= CountdownStep.MaxDaysBefore)
            {
                steps.Add(CountdownStep.DaysBeforeAt(days, at));
            }
            else
            {
                errors.Add(new RuleViolation("invalid_step",
                    $"Step {index}: give either minutesBefore, or daysBefore (1 to {CountdownStep.MaxDaysBefore}) with at (HH:mm).", "plan.steps"));
            }
        }

        var (created, planErrors) = CountdownPlan.Create(steps);
        errors.AddRange(planErrors.Select(e => e with { Field = "plan.steps" }));
        return created;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
