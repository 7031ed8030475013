using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Media;
using CommunityFunnel.Domain.Announcements;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommunityFunnel.Application.Announcements;

/// <summary>
/// Sends due deliveries. Safe to run on several instances at once and to run again after a crash: the database decides
/// who sends what (channel rows locked with SKIP LOCKED, deliveries claimed by conditional updates), per-channel rate
/// limits are counted from the attempt log, and a delivery is marked "Sending" before its request leaves, so a crash
/// mid-request turns into NeedsCheck instead of a second post.
/// </summary>
public sealed class DeliveryDispatcher(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    IEnumerable<IChannelConnector> connectors,
    ChannelSecrets secrets,
    IOptions<ChannelOptions> options,
    TimeProvider clock,
    ILogger<DeliveryDispatcher> logger)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Deliveries due this soon are claimed, marked and connected ahead and released at their time, so a burst's database
    /// work and connection set-up are off the critical path. A cancellation this close to the due time comes too late.
    /// </summary>
    public static readonly TimeSpan Lookahead = TimeSpan.FromSeconds(1);
    private const int BatchSize = 1000;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private readonly Dictionary<ChannelKind, IChannelConnector> _connectors = connectors.ToDictionary(c => c.Kind);

    private sealed record Claimed(Guid DeliveryId, Guid ChannelId, ChannelKind Kind, string ProtectedSecret, string? ChatId,
        Guid PostId, Guid GroupId, string Text, DateTimeOffset DueAt, DateTimeOffset Deadline, int Attempts, long AttemptId, DateTimeOffset SendAt, string? ImagePath);

    /// <summary>One pass: recover expired leases, expire what no longer matters, publish the feed, claim and send.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var (claimed, delivering) = await StartOnceAsync(ct);
        await delivering;
        return claimed;
    }

    /// <summary>
    /// A pass that returns once its deliveries are claimed and on their way, so the caller can claim the next ones while
    /// these wait for their time or for a slow platform. <c>Delivering</c> completes when their outcomes are recorded.
    /// </summary>
    public async Task<(int Claimed, Task Delivering)> StartOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<Claimed> claimed;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await db.Database.OpenConnectionAsync(ct);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await HousekeepAsync(connection, now, ct);
            claimed = await ClaimAsync(connection, now, ct);
        }

        return (claimed.Count, claimed.Count == 0 ? Task.CompletedTask : DeliverAsync(claimed, ct));
    }

    /// <summary>The earliest instant something is due, so the caller can sleep exactly until then.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (
                from d in db.Deliveries
                join c in db.Channels on d.ChannelId equals c.Id
                join g in db.Groups on c.GroupId equals g.Id
                where d.Status == DeliveryStatus.Scheduled && !g.IsArchived && c.IsActive && c.PausedAt == null
                select (DateTimeOffset?)d.NextAttemptAt)
            .MinAsync(ct);
    }

    private static async Task HousekeepAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                // Claimed but never sent (the dispatcher died first): safe to send again.
                new("UPDATE funnel.deliveries SET status = 'Scheduled', lease_until = NULL WHERE status = 'Claimed' AND lease_until < $1"),
                // Died while the request was out: it may have been posted, so a person checks instead of a resend.
                new("UPDATE funnel.deliveries SET status = 'NeedsCheck', last_response = 'The dispatcher stopped while sending; check the group before resending.' WHERE status = 'Sending' AND lease_until < $1"),
                new("UPDATE funnel.deliveries SET status = 'Expired' WHERE status = 'Scheduled' AND deadline < $1"),
                new("""
                    INSERT INTO funnel.feed_items (post_id, group_id, text, published_at)
                    SELECT p.id, p.group_id, p.text, $1 FROM funnel.posts p
                    WHERE p.due_at <= $1 AND p.due_at > $1 - interval '7 days' AND p.cancelled_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM funnel.feed_items f WHERE f.post_id = p.id)
                    ON CONFLICT (post_id) DO NOTHING
                    """),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = now });
        }

        await batch.ExecuteNonQueryAsync(ct);
    }

    private async Task<List<Claimed>> ClaimAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);

        // 1. Own the channels with due work; another dispatcher holding one simply skips it.
        var channelIds = new List<Guid>();
        await using (var lockChannels = new NpgsqlCommand("""
            SELECT c.id FROM funnel.channels c
            WHERE c.id IN (SELECT d.channel_id FROM funnel.deliveries d WHERE d.status = 'Scheduled' AND d.next_attempt_at <= $1)
              AND (c.paused_until IS NULL OR c.paused_until <= $2)
              -- paused by an operator, deactivated or deleted (which deactivates): its waiting posts are not sent
              AND c.paused_at IS NULL AND c.is_active
              -- posts scheduled before their group was archived wait here, unsent, until their deadline expires them
              AND NOT EXISTS (SELECT 1 FROM funnel.groups g WHERE g.id = c.group_id AND g.is_archived)
            FOR UPDATE SKIP LOCKED
            """, connection, tx))
        {
            lockChannels.Parameters.Add(new NpgsqlParameter { Value = now + Lookahead });
            lockChannels.Parameters.Add(new NpgsqlParameter { Value = now });
            await using var reader = await lockChannels.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                channelIds.Add(reader.GetGuid(0));
            }
        }

        if (channelIds.Count == 0)
        {
            await tx.CommitAsync(ct);
            return [];
        }

        // 2. A fresh snapshot (taken after the locks) sees every earlier claim: take what each channel's limit allows.
        var limits = _connectors.Values.ToList();
        await using var claim = new NpgsqlCommand("""
            WITH limits AS (
                SELECT * FROM unnest($3::text[], $4::int[], $5::float8[]) AS l(kind, max_count, window_seconds)
            ), budget AS (
                SELECT c.id, coalesce(l.max_count - (SELECT count(*) FROM funnel.delivery_attempts a
                        WHERE a.channel_id = c.id AND a.started_at > $1 - make_interval(secs => l.window_seconds)), $6) AS room,
                    -- when a full channel has room again: the attempt that fills its window leaves it, plus 1% of the
                    -- window, as the platform counts from arrivals and network jitter must not make that post a 429
                    (SELECT a.started_at + make_interval(secs => l.window_seconds * 1.01) FROM funnel.delivery_attempts a
                        WHERE a.channel_id = c.id AND a.started_at > $1 - make_interval(secs => l.window_seconds)
                        ORDER BY a.started_at DESC OFFSET greatest(l.max_count - 1, 0) LIMIT 1) AS next_slot
                FROM funnel.channels c LEFT JOIN limits l ON l.kind = c.kind
                WHERE c.id = ANY($2)
            ), ranked AS (
                SELECT d.id, d.channel_id, row_number() OVER (PARTITION BY d.channel_id ORDER BY d.next_attempt_at, d.id) AS rn
                FROM funnel.deliveries d
                WHERE d.channel_id = ANY($2) AND d.status = 'Scheduled' AND d.next_attempt_at <= $8
            ), picked AS (
                SELECT r.id, $1 AS not_before FROM ranked r JOIN budget b ON b.id = r.channel_id WHERE r.rn <= b.room
                UNION ALL
                -- a full channel whose room comes back within the lookahead: its next post is held for that instant
                SELECT r.id, b.next_slot FROM ranked r JOIN budget b ON b.id = r.channel_id WHERE b.room <= 0 AND r.rn = 1 AND b.next_slot <= $8
                LIMIT $6
            ), claimed AS (
                UPDATE funnel.deliveries d SET status = 'Claimed', lease_until = $7, attempts = d.attempts + 1
                FROM picked WHERE d.id = picked.id AND d.status = 'Scheduled'
                RETURNING d.id, d.channel_id, d.post_id, d.deadline, d.attempts, greatest(picked.not_before, d.next_attempt_at) AS send_at
            ), logged AS (
                -- stamped with the time the request will leave, so the rate windows count it where it happens
                INSERT INTO funnel.delivery_attempts (delivery_id, channel_id, started_at, outcome, response)
                SELECT id, channel_id, send_at, 'Claimed', '' FROM claimed
                RETURNING id, delivery_id
            )
            SELECT cl.id, cl.channel_id, c.kind, c.protected_secret, c.chat_id, p.id, p.group_id, p.text, p.due_at, cl.deadline, cl.attempts, lg.id, cl.send_at,
                i.token, i.content_type
            FROM claimed cl
            JOIN logged lg ON lg.delivery_id = cl.id
            JOIN funnel.channels c ON c.id = cl.channel_id
            JOIN funnel.posts p ON p.id = cl.post_id
            LEFT JOIN funnel.images i ON i.id = p.image_id
            """, connection, tx);
        claim.Parameters.Add(new NpgsqlParameter { Value = now });
        claim.Parameters.Add(new NpgsqlParameter { Value = channelIds.ToArray() });
        claim.Parameters.Add(new NpgsqlParameter { Value = limits.Select(c => c.Kind.ToString()).ToArray() });
        claim.Parameters.Add(new NpgsqlParameter { Value = limits.Select(c => c.Limit.Count).ToArray() });
        claim.Parameters.Add(new NpgsqlParameter { Value = limits.Select(c => c.Limit.Window.TotalSeconds).ToArray() });
        claim.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
        claim.Parameters.Add(new NpgsqlParameter { Value = now + Lease });
        claim.Parameters.Add(new NpgsqlParameter { Value = now + Lookahead });
        var claimed = new List<Claimed>();
        await using (var reader = await claim.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                claimed.Add(new Claimed(reader.GetGuid(0), reader.GetGuid(1), Enum.Parse<ChannelKind>(reader.GetString(2)), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetGuid(5), reader.GetGuid(6), reader.GetString(7),
                    reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9), reader.GetInt32(10), reader.GetInt64(11),
                    reader.GetFieldValue<DateTimeOffset>(12), reader.IsDBNull(13) ? null : ImageLinks.PathFor(reader.GetString(13), reader.GetString(14))));
            }
        }

        await tx.CommitAsync(ct);
        return claimed;
    }

    private sealed record Finished(Claimed Delivery, DeliveryStatus Status, string Response, DateTimeOffset? SentAt, DateTimeOffset? Next, DateTimeOffset? PauseUntil = null);

    /// <summary>
    /// Everything slow happens before the due instant: one statement marks the batch Sending, and every request starts
    /// at once with its body held until its time (<see cref="Departure"/>). Outcomes are recorded in one statement per
    /// handful, as they come back, and even while stopping, so a post that went out is never left looking unsent.
    /// </summary>
    private async Task DeliverAsync(List<Claimed> claimed, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var departures = claimed.Select(d => d.SendAt).Distinct().ToDictionary(at => at, at => Departure.At(at, clock, ct));
        var queueing = QueueForOperatorsAsync([.. claimed.Where(d => d.Kind == ChannelKind.Assisted)], departures, ct);

        var ids = claimed.Where(d => d.Kind != ChannelKind.Assisted).Select(d => d.DeliveryId).ToArray();
        // Only what is still ours: a delivery whose lease ran out was taken back by another dispatcher.
        var marked = ids.Length == 0 ? [] : (await db.Database.SqlQuery<Guid>(
                $"UPDATE funnel.deliveries SET status = 'Sending' WHERE id = ANY({ids}) AND status = 'Claimed' RETURNING id AS \"Value\"")
            .ToListAsync(ct)).ToHashSet();
        var sends = claimed.Where(d => marked.Contains(d.DeliveryId)).Select(d => SendAsync(d, departures[d.SendAt], ct)).ToList();
        await Task.WhenAll(RecordAsTheyFinishAsync(db, sends), queueing);
    }

    private async Task QueueForOperatorsAsync(List<Claimed> assisted, Dictionary<DateTimeOffset, Departure> departures, CancellationToken ct)
    {
        if (assisted.Count == 0)
        {
            return;
        }

        await Task.WhenAll(assisted.Select(d => departures[d.SendAt].Leaves)); // they appear in the queue at their time, not ahead
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await RecordAsync(db, "Claimed", [.. assisted.Select(d => new Finished(d, DeliveryStatus.AwaitingOperator, "Queued for the operator to post", null, null))], ct);
    }

    private async Task RecordAsTheyFinishAsync(CommunityFunnelDbContext db, List<Task<Finished>> sends)
    {
        var pending = sends.ToHashSet();
        while (pending.Count > 0)
        {
            await Task.WhenAny(pending);
            var done = pending.Where(t => t.IsCompleted).ToList();
            pending.ExceptWith(done);
            await RecordAsync(db, "Sending", [.. done.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)], CancellationToken.None);
        }

        await Task.WhenAll(sends); // a send that threw (the app stopping mid-request) stays Sending, for the lease to flag
    }

    private async Task<Finished> SendAsync(Claimed delivery, Departure departure, CancellationToken ct)
    {
        var secret = secrets.Unprotect(delivery.ProtectedSecret);
        try
        {
            var outcome = await _connectors[delivery.Kind].SendAsync(secret, delivery.ChatId,
                new OutboundPost(delivery.PostId, delivery.GroupId, delivery.Text, delivery.DueAt, ImageUrl(delivery)), departure, ct);
            var now = clock.GetUtcNow();
            return Decide(delivery, outcome, outcome.Scrubbed(secret).Response, now) with { PauseUntil = now + outcome.ChannelPause };
        }
        catch (OperationCanceledException) when (!departure.HasLeft)
        {
            // Stopped before its time: the body never left, so the post goes back to be sent by whoever runs next.
            return new Finished(delivery, DeliveryStatus.Scheduled, "Not sent: the dispatcher stopped before the post's time.", null, delivery.SendAt);
        }
    }

    /// <summary>Where the platform fetches the post's picture; none without a public address, which only Development lacks.</summary>
    private string? ImageUrl(Claimed delivery)
    {
        if (delivery.ImagePath is not { } path)
        {
            return null;
        }

        if (options.Value.PublicBaseUrl is { } publicBase)
        {
            return ImageLinks.Absolute(publicBase, path);
        }

        logger.LogWarning("Delivery {DeliveryId} goes out without its picture: no public address (App:PublicBaseUrl) for the platform to fetch it from", delivery.DeliveryId);
        return null;
    }

    private Finished Decide(Claimed delivery, SendOutcome outcome, string response, DateTimeOffset now)
    {
        switch (outcome.Result)
        {
            case SendResult.Sent:
                logger.LogInformation("Delivered {DeliveryId} to channel {ChannelId} {LateMs:0} ms after its due time",
                    delivery.DeliveryId, delivery.ChannelId, (now - delivery.DueAt).TotalMilliseconds);
                return new Finished(delivery, DeliveryStatus.Sent, response, now, null);
            case SendResult.Retry:
                var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, delivery.Attempts)));
                var next = now + (outcome.RetryAfter is { } wait && wait > backoff ? wait : backoff);
                var late = next > delivery.Deadline;
                logger.LogWarning("Delivery {DeliveryId} to channel {ChannelId} will {Action}", delivery.DeliveryId, delivery.ChannelId,
                    late ? "not be retried: its deadline passes first" : $"be retried at {next:O}");
                return new Finished(delivery, late ? DeliveryStatus.Expired : DeliveryStatus.Scheduled, response, null, late ? null : next);
            case SendResult.Failed:
                logger.LogWarning("Delivery {DeliveryId} to channel {ChannelId} was refused by the platform", delivery.DeliveryId, delivery.ChannelId);
                return new Finished(delivery, DeliveryStatus.Failed, response, null, null);
            default:
                logger.LogWarning("Delivery {DeliveryId} to channel {ChannelId} has an unknown outcome: marked for checking", delivery.DeliveryId, delivery.ChannelId);
                return new Finished(delivery, DeliveryStatus.NeedsCheck, response, null, null);
        }
    }

    private async Task RecordAsync(CommunityFunnelDbContext db, string from, IReadOnlyList<Finished> finished, CancellationToken ct)
    {
        if (finished.Count == 0)
        {
            return;
        }

        var ids = finished.Select(f => f.Delivery.DeliveryId).ToArray();
        var statuses = finished.Select(f => f.Status.ToString()).ToArray();
        var responses = finished.Select(f => f.Response.Length > SendOutcome.StoredResponseLength ? f.Response[..SendOutcome.StoredResponseLength] : f.Response).ToArray();
        var sentAts = finished.Select(f => f.SentAt).ToArray();
        var nexts = finished.Select(f => f.Next).ToArray();
        var attemptIds = finished.Select(f => f.Delivery.AttemptId).ToArray();
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE funnel.deliveries d SET status = v.status, last_response = v.response, sent_at = coalesce(v.sent_at, d.sent_at),
                next_attempt_at = coalesce(v.next, d.next_attempt_at), lease_until = NULL
            FROM unnest({ids}::uuid[], {statuses}::text[], {responses}::text[], {sentAts}::timestamptz[], {nexts}::timestamptz[]) AS v(id, status, response, sent_at, next)
            WHERE d.id = v.id AND d.status = {from};
            UPDATE funnel.delivery_attempts a SET finished_at = {now}, outcome = v.status, response = v.response
            FROM unnest({attemptIds}::bigint[], {statuses}::text[], {responses}::text[]) AS v(id, status, response)
            WHERE a.id = v.id;
            """, ct);

        var pauses = finished.Where(f => f.PauseUntil is not null).GroupBy(f => f.Delivery.ChannelId)
            .Select(g => (Channel: g.Key, Until: g.Max(f => f.PauseUntil!.Value))).ToList();
        if (pauses.Count > 0)
        {
            var channels = pauses.Select(p => p.Channel).ToArray();
            var untils = pauses.Select(p => p.Until).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                UPDATE funnel.channels c SET paused_until = v.until
                FROM unnest({channels}::uuid[], {untils}::timestamptz[]) AS v(id, until)
                WHERE c.id = v.id AND (c.paused_until IS NULL OR c.paused_until < v.until)
                """, ct);
        }
    }
}
