using System.Globalization;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Audit;
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

    public Task<Result<EventScheduled>> CreateAsync(Actor actor, EventInput input, CancellationToken ct) => PlanAsync(actor, input, revising: null, save: true, ct);

    public Task<Result<EventScheduled>> PreviewAsync(Actor actor, EventInput input, CancellationToken ct) => PlanAsync(actor, input, revising: null, save: false, ct);

    /// <summary>
    /// Edits an event in place: its countdown posts not yet on their way are called off and the revised plan's remaining
    /// posts take their place (in the same transaction); what went out stays, and steps already past are not posted again.
    /// </summary>
    public Task<Result<EventScheduled>> ReviseAsync(Actor actor, Guid eventId, EventInput input, CancellationToken ct) => PlanAsync(actor, input, eventId, save: true, ct);

    /// <summary>The event as the operator last wrote it, to edit.</summary>
    public async Task<Result<EventInput>> GetAsync(Actor actor, Guid eventId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await AccessFailureAsync(db, actor, eventId, ct) is { } failure)
        {
            return failure;
        }

        var @event = await db.Events.AsNoTracking().SingleAsync(e => e.Id == eventId, ct);
        var groupIds = await db.EventOccurrences.Where(o => o.EventId == eventId).Select(o => o.GroupId).ToListAsync(ct);
        var steps = @event.PlanSteps?.Select(CountdownStep.FromCode).Select(step => step.Before is { } before
            ? new PlanStepInput(MinutesBefore: (int)before.TotalMinutes)
            : new PlanStepInput(DaysBefore: step.DaysBefore, At: step.AtLocalTime!.Value.ToString("HH:mm", CultureInfo.InvariantCulture))).ToList();
        return new EventInput(groupIds, @event.Title, @event.StartsAt, @event.EndsAt, @event.Link, @event.Description, new PlanInput(Steps: steps, Template: @event.Template));
    }

    private async Task<Result<EventScheduled>> PlanAsync(Actor actor, EventInput input, Guid? revising, bool save, CancellationToken ct)
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
        if (revising is { } id && await AccessFailureAsync(db, actor, id, ct) is { } failure)
        {
            return failure;
        }

        var groups = await db.VisibleGroups(actor).AsNoTracking().Where(g => groupIds.Contains(g.Id)).ToListAsync(ct);
        if (groups.Count != groupIds.Count)
        {
            return Failure.Forbidden("one of these groups");
        }

        if (groups.FirstOrDefault(g => g.IsArchived) is { } archived)
        {
            return AnnouncementService.GroupArchived(archived.Name);
        }

        var channels = await db.Channels.AsNoTracking().Where(c => groupIds.Contains(c.GroupId) && c.IsActive).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var details = new EventDetails(title, description, link, input.StartsAt!.Trim(), input.EndsAt?.Trim() is { Length: > 0 } endsText ? endsText : null, template, steps);
        var @event = revising is { } revisedId ? await db.Events.SingleAsync(e => e.Id == revisedId, ct) : new SalesEvent(details, now);
        // A revision leaves alone the posts the dispatcher is already getting on their way, so it does not repeat them either.
        var postsFrom = revising is null ? now : now + DeliveryDispatcher.Lookahead;
        var occurrences = new List<EventOccurrence>();
        var posts = new List<(Post Post, IEnumerable<Channel> Channels)>();
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
            var groupChannels = channels.Where(c => c.GroupId == group.Id).ToList();
            occurrences.Add(new EventOccurrence(@event.Id, group.Id, startsAt, endsAt));
            foreach (var scheduled in plan.Schedule(startsAt, zone, postsFrom))
            {
                var text = PostTemplate.Render(template, new PostContext(title, group.Name, startsAt, zone, link, scheduled.DueAt, culture)).Trim();
                PlatformLimits.Check(connectors, group.Name, text, groupChannels, "plan.template", errors);
                var deadline = Min(scheduled.DueAt + AnnouncementService.TooLateAfter, startsAt + StillMattersAfterStart);
                posts.Add((new Post(@event.Id, group.Id, text, scheduled.DueAt, deadline, now), groupChannels));
            }
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors.DistinctBy(e => e.Message).ToList());
        }

        if (save)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (revising is null)
            {
                db.Events.Add(@event);
            }
            else
            {
                // Two people saving the same event at once: the second waits here and replaces the first's posts.
                await db.Database.ExecuteSqlAsync($"SELECT 1 FROM funnel.events WHERE id = {@event.Id} FOR UPDATE", ct);
                var replaced = await AnnouncementService.CancelPendingAsync(db, @event.Id, now, ct);
                await db.EventOccurrences.Where(o => o.EventId == @event.Id).ExecuteDeleteAsync(ct);
                @event.Revise(details, now);
                db.Audit(now, AuditCategory.Announcements, actor, "event.revised", @event.Id.ToString(),
                    $"{replaced.PostsCancelled} waiting posts replaced by {posts.Count}; {replaced.PostsAlreadyOut} already out");
            }

            db.EventOccurrences.AddRange(occurrences);
            db.Posts.AddRange(posts.Select(p => p.Post));
            db.Deliveries.AddRange(posts.SelectMany(p => p.Channels.Select(c => new Delivery(p.Post.Id, c.Id, p.Post.DueAt, p.Post.Deadline))));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            await dispatcher.WakeAllAsync(db, ct);
        }

        return new EventScheduled(@event.Id, [.. posts.Select(p => new ScheduledPostRow(p.Post.GroupId, p.Post.DueAt, p.Post.Text)).OrderBy(r => r.DueAt)]);
    }

    /// <summary>An event spanning several groups is the actor's to change only if every one of its groups is.</summary>
    private static async Task<Failure?> AccessFailureAsync(CommunityFunnelDbContext db, Actor actor, Guid eventId, CancellationToken ct)
    {
        if (!await db.Events.AnyAsync(e => e.Id == eventId, ct))
        {
            return Failure.NotFound("The event");
        }

        var visible = db.VisibleGroupIds(actor);
        return await db.EventOccurrences.AnyAsync(o => o.EventId == eventId && !visible.Contains(o.GroupId), ct) ? Failure.Forbidden("this event") : null;
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
