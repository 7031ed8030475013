using System.Net;
using System.Net.Sockets;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Webhooks;

/// <summary>
/// Admins subscribe addresses to published events and read what was delivered. An address on a private network is
/// refused unless Channels:AllowPrivateAddresses is on, here and again on every connection (<see cref="SafeHttp"/>).
/// </summary>
public sealed class WebhookService(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    WebhookSecrets secrets,
    IOptionsMonitor<ChannelOptions> channels,
    TimeProvider clock)
{
    public const int SecretMinLength = 16;
    public const int SecretMaxLength = 256;
    private const string DeliveriesList = "webhook-deliveries";

    /// <summary>How long creating a subscription waits to learn where its host name points; unresolved names are checked at each connection.</summary>
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(2);

    public async Task<Result<Guid>> CreateAsync(Actor actor, WebhookInput input, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("webhooks");
        }

        var errors = new List<RuleViolation>();
        var url = await CheckUrlAsync(input.Url, errors, ct);
        var events = CheckEvents(input.Events, errors);
        var secret = CheckSecret(input.Secret, errors);
        if (url is null || secret is null || errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var subscription = new WebhookSubscription(url, events, secrets.Protect(secret), WebhookSecrets.Hint(secret), now);
        db.WebhookSubscriptions.Add(subscription);
        db.Audit(now, AuditCategory.Webhooks, actor, "webhook.created", subscription.Id.ToString(), $"{string.Join(", ", events)} to {new Uri(url).Host}");
        await db.SaveChangesAsync(ct);
        return subscription.Id;
    }

    public async Task<Result<IReadOnlyList<WebhookRow>>> ListAsync(Actor actor, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("webhooks");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await RowsAsync(db, db.WebhookSubscriptions.OrderBy(s => s.Id), ct);
    }

    public async Task<Result<WebhookRow>> GetAsync(Actor actor, Guid id, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("webhooks");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await RowsAsync(db, db.WebhookSubscriptions.Where(s => s.Id == id), ct)) is [var row] ? row : Failure.NotFound("The webhook");
    }

    /// <summary>No new events are queued for it and none are sent; what waits is sent if it is enabled again within the retry window.</summary>
    public Task<Result<WebhookRow>> DisableAsync(Actor actor, Guid id, CancellationToken ct) =>
        ChangeAsync(actor, id, "webhook.disabled", s => s.Disable(), ct);

    public Task<Result<WebhookRow>> EnableAsync(Actor actor, Guid id, CancellationToken ct) =>
        ChangeAsync(actor, id, "webhook.enabled", s => s.Enable(), ct);

    /// <summary>The subscription's deliveries in event order (oldest first), a page at a time (for integrations).</summary>
    public async Task<Result<CursorPage<WebhookDeliveryRow>>> DeliveriesAsync(
        Actor actor, Guid id, WebhookDeliveryStatus? status, string? cursor, int? limit, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("webhooks");
        }

        var request = Cursor.ReadIdPage(DeliveriesList, cursor, limit);
        if (request.Failure is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, ct))
        {
            return Failure.NotFound("The webhook");
        }

        var deliveries = Filtered(db, id, status);
        if (request.Value.After is { } after)
        {
            deliveries = deliveries.Where(d => d.EventId.CompareTo(after) > 0);
        }

        var rows = await Rows(deliveries.OrderBy(d => d.EventId).Take(request.Value.Limit + 1)).ToListAsync(ct);
        return Cursor.PageById(DeliveriesList, rows, request.Value.Limit, r => r.EventId);
    }

    /// <summary>The subscription's delivery log, newest event first, a page at a time (the admin page).</summary>
    public async Task<Result<Page<WebhookDeliveryRow>>> DeliveryLogAsync(
        Actor actor, Guid id, WebhookDeliveryStatus? status, int pageIndex, int pageSize, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("webhooks");
        }

        var paging = PageRequest.Create(pageIndex, pageSize, Cursor.MaxLimit);
        if (paging.Failure is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deliveries = Filtered(db, id, status);
        var total = await deliveries.CountAsync(ct);
        var rows = await Rows(deliveries.OrderByDescending(d => d.EventId).Skip(paging.Value.Offset).Take(paging.Value.Size)).ToListAsync(ct);
        return new Page<WebhookDeliveryRow>(rows, total);
    }

    public async Task<Result<WebhookDeliveryDetails>> DeliveryAsync(Actor actor, Guid id, Guid eventId, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("webhooks");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await DetailsAsync(db, id, eventId, ct) is { } details ? details : Failure.NotFound("The delivery");
    }

    /// <summary>"Send again": due at once with a fresh retry window, whatever came of it before; refused while it is on the wire.</summary>
    public async Task<Result<WebhookDeliveryDetails>> RedeliverAsync(Actor actor, Guid id, Guid eventId, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("webhooks");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delivery = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.SubscriptionId == id && d.EventId == eventId)
            .Select(d => new { d.Status, d.EventType, Active = db.WebhookSubscriptions.Any(s => s.Id == id && s.IsActive) })
            .SingleOrDefaultAsync(ct);
        if (delivery is null)
        {
            return Failure.NotFound("The delivery");
        }

        if (!delivery.Active)
        {
            return Failure.Unprocessable("webhook_disabled", "The webhook is disabled: enable it to send its deliveries again.");
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await WebhookDeliveryStore.RedeliverAsync(db, id, eventId, now, ct))
        {
            return Failure.Conflict("delivery_in_flight", "The delivery is being sent right now; its outcome shows in a moment.");
        }

        db.Audit(now, AuditCategory.Webhooks, actor, "webhook.redelivered", id.ToString(), $"{delivery.EventType} {eventId}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await DetailsAsync(db, id, eventId, ct) is { } details ? details : Failure.NotFound("The delivery");
    }

    private async Task<Result<WebhookRow>> ChangeAsync(Actor actor, Guid id, string action, Action<WebhookSubscription> change, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("webhooks");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (subscription is null)
        {
            return Failure.NotFound("The webhook");
        }

        change(subscription);
        db.Audit(clock.GetUtcNow(), AuditCategory.Webhooks, actor, action, id.ToString(), new Uri(subscription.Url).Host);
        await db.SaveChangesAsync(ct);
        return (await RowsAsync(db, db.WebhookSubscriptions.Where(s => s.Id == id), ct))[0];
    }

    private static async Task<List<WebhookRow>> RowsAsync(CommunityFunnelDbContext db, IQueryable<WebhookSubscription> subscriptions, CancellationToken ct)
    {
        var rows = await subscriptions.AsNoTracking()
            .Select(s => new
            {
                s.Id, s.Url, s.Events, s.SecretHint, s.IsActive, s.CreatedAt, s.PausedUntil,
                Waiting = db.WebhookDeliveries.Count(d => d.SubscriptionId == s.Id && (d.Status == WebhookDeliveryStatus.Pending || d.Status == WebhookDeliveryStatus.Sending)),
                Failed = db.WebhookDeliveries.Count(d => d.SubscriptionId == s.Id && d.Status == WebhookDeliveryStatus.Failed),
            })
            .ToListAsync(ct);
        return [.. rows.Select(s => new WebhookRow(s.Id, s.Url, s.Events, s.SecretHint, s.IsActive, s.CreatedAt, s.PausedUntil, s.Waiting, s.Failed))];
    }

    private static IQueryable<WebhookDelivery> Filtered(CommunityFunnelDbContext db, Guid id, WebhookDeliveryStatus? status)
    {
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        return status is { } only ? deliveries.Where(d => d.Status == only) : deliveries;
    }

    private static IQueryable<WebhookDeliveryRow> Rows(IQueryable<WebhookDelivery> deliveries) =>
        deliveries.Select(d => new WebhookDeliveryRow(
            d.EventId, d.EventType, d.OccurredAt, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.LastAttemptAt,
            d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null,
            d.FinishedAt));

    private static async Task<WebhookDeliveryDetails?> DetailsAsync(CommunityFunnelDbContext db, Guid id, Guid eventId, CancellationToken ct)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id && d.EventId == eventId)
            .Select(d => new { d.Id, d.Body }).SingleOrDefaultAsync(ct);
        if (delivery is null)
        {
            return null;
        }

        var row = await Rows(db.WebhookDeliveries.Where(d => d.Id == delivery.Id)).SingleAsync(ct);
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == delivery.Id).OrderBy(a => a.Id)
            .Select(a => new WebhookAttemptRow(a.Number, a.AttemptedAt, a.StatusCode, a.Error, a.DurationMs))
            .ToListAsync(ct);
        return new WebhookDeliveryDetails(row, delivery.Body, attempts);
    }

    private async Task<string?> CheckUrlAsync(string? value, List<RuleViolation> errors, CancellationToken ct)
    {
        var text = value?.Trim() ?? "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || text.Length > WebhookSubscription.UrlMaxLength)
        {
            errors.Add(new RuleViolation("invalid_url", $"The webhook address must be an absolute http(s) URL of at most {WebhookSubscription.UrlMaxLength} characters.", "url"));
            return null;
        }

        if (!channels.CurrentValue.AllowPrivateAddresses && await ReachesOnlyPrivateAddressesAsync(url, ct))
        {
            errors.Add(new RuleViolation("private_address", $"{url.Host} is a private or loopback address: webhooks go to public addresses only.", "url"));
            return null;
        }

        return url.AbsoluteUri;
    }

    /// <summary>
    /// Whether every address the host is known by is private. A name that does not resolve now is accepted: each
    /// connection checks the address it actually reaches, which is what really keeps requests off private networks.
    /// </summary>
    private static async Task<bool> ReachesOnlyPrivateAddressesAsync(Uri url, CancellationToken ct)
    {
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return SafeHttp.IsPrivate(IPAddress.Parse(url.DnsSafeHost));
        }

        if (url.IsLoopback)
        {
            return true;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(url.DnsSafeHost, timeout.Token);
            return addresses.Length > 0 && addresses.All(SafeHttp.IsPrivate);
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }

    private static List<string> CheckEvents(IReadOnlyList<string>? names, List<RuleViolation> errors)
    {
        var known = string.Join(", ", PublishedEvents.Names);
        if (names is null || names.Count == 0)
        {
            errors.Add(new RuleViolation("events_required", $"Choose at least one event: {known}.", "events"));
            return [];
        }

        var unknown = names.Where(n => !PublishedEvents.IsKnown(n?.Trim() ?? "")).ToList();
        if (unknown.Count > 0)
        {
            errors.Add(new RuleViolation("unknown_event", $"Unknown event {string.Join(", ", unknown.Select(n => $"'{n}'"))}; the events are {known}.", "events"));
            return [];
        }

        return [.. names.Select(n => n.Trim()).Distinct(StringComparer.Ordinal)];
    }

    private static string? CheckSecret(string? value, List<RuleViolation> errors)
    {
        var secret = value?.Trim() ?? "";
        var problem = secret.Length switch
        {
            0 => new RuleViolation("secret_required", "A signing secret is required: receivers check each request's signature with it.", "secret"),
            < SecretMinLength => new RuleViolation("secret_too_short", $"The signing secret must be at least {SecretMinLength} characters (got {secret.Length}).", "secret"),
            > SecretMaxLength => new RuleViolation("secret_too_long", $"The signing secret must be at most {SecretMaxLength} characters.", "secret"),
            _ => null,
        };
        errors.AddIfAny(problem);
        return problem is null ? secret : null;
    }
}
