using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CommunityFunnel.Application.Webhooks;

/// <summary>A delivery claimed for one attempt: what to send, where, and what the backoff needs to decide afterwards.</summary>
public sealed record ClaimedDelivery(
    long Id, int Attempt, int ConsecutiveFailures, DateTimeOffset GiveUpAt, Guid EventId, string EventType, string Body,
    Guid SubscriptionId, string Url, string ProtectedSecret);

/// <summary>How one attempt went: the receiver's status code, or why there was none.</summary>
public sealed record AttemptResult(DateTimeOffset AttemptedAt, DateTimeOffset FinishedAt, int DurationMs, int? StatusCode, string? Error, TimeSpan? RetryAfter = null)
{
    public bool Delivered => StatusCode is >= 200 and < 300;

    /// <summary>The receiver answered at all (any status), as opposed to refusing the connection or timing out.</summary>
    public bool Answered => StatusCode is not null;
}

/// <summary>An attempt and the state it leaves its delivery in; made by the store's named transitions, saved by <see cref="WebhookDeliveryStore.SaveAsync"/>.</summary>
public sealed record AttemptRecord(
    ClaimedDelivery Delivery, AttemptResult Result, WebhookDeliveryStatus Status, int ConsecutiveFailures, DateTimeOffset? NextAttemptAt, DateTimeOffset? PauseReceiverUntil);

/// <summary>
/// Every change of a webhook delivery's status, in one place (STYLE §20):
/// (new) → Pending → Sending → Delivered, back to Pending for another attempt, or Failed; Sending whose lease ran out →
/// Pending; Delivered or Failed → Pending by "send again". The hot paths (queueing, claiming, recording) are SQL in
/// <c>Webhooks/Sql</c>, one round trip per batch.
/// </summary>
public sealed class WebhookDeliveryStore(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    /// <summary>How long a claim is a sender's alone: longer than an attempt can take (request and answer timeouts, recording).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static readonly string SubscribedTypesSql = ReadSql("subscribed_event_types.sql");
    private static readonly string EnqueueSql = ReadSql("enqueue_deliveries.sql");
    private static readonly string ReclaimSql = ReadSql("reclaim_abandoned.sql");
    private static readonly string ClaimSql = ReadSql("claim_due.sql");
    private static readonly string RecordOutcomesSql = ReadSql("record_outcomes.sql");
    private static readonly string RecordAttemptsSql = ReadSql("record_attempts.sql");
    private static readonly string PauseReceiversSql = ReadSql("pause_receivers.sql");

    /// <summary>
    /// (new) → Pending: one delivery of each message per active subscription to its type, in the relay's transaction, in
    /// two statements for the whole batch; idempotent on (subscription, event).
    /// </summary>
    public static async Task<int> EnqueueAsync(CommunityFunnelDbContext db, IReadOnlyList<OutboxMessage> messages, DateTimeOffset now, CancellationToken ct)
    {
        var transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Deliveries are queued in the relay's transaction, with the messages marked relayed.");
        var subscribed = new HashSet<string>(StringComparer.Ordinal);
        await using (var types = new NpgsqlCommand(SubscribedTypesSql, transaction.Connection, transaction))
        await using (var reader = await types.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                subscribed.Add(reader.GetString(0));
            }
        }

        var wanted = messages.Where(m => subscribed.Contains(m.Type)).ToList();
        if (wanted.Count == 0)
        {
            return 0;
        }

        await using var enqueue = new NpgsqlCommand(EnqueueSql, transaction.Connection, transaction);
        enqueue.Parameters.Add(new NpgsqlParameter("event_ids", wanted.Select(m => m.Id).ToArray()));
        enqueue.Parameters.Add(new NpgsqlParameter("event_types", wanted.Select(m => m.Type).ToArray()));
        enqueue.Parameters.Add(new NpgsqlParameter("occurred_ats", wanted.Select(m => m.OccurredAt).ToArray()));
        enqueue.Parameters.Add(new NpgsqlParameter("bodies", wanted.Select(WebhookBody.For).ToArray()));
        enqueue.Parameters.Add(new NpgsqlParameter("give_up_ats", wanted.Select(m => m.OccurredAt + WebhookBackoff.RetryWindow).ToArray()));
        enqueue.Parameters.Add(new NpgsqlParameter("now", now));
        return await enqueue.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Sending → Pending for claims whose lease ran out (a sender that died): they are sent again.</summary>
    public async Task<int> ReclaimAbandonedAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlRawAsync(ReclaimSql, [new NpgsqlParameter("now", now)], ct);
    }

    /// <summary>Sending → Delivered: the receiver answered 2xx.</summary>
    public static AttemptRecord RecordDelivered(ClaimedDelivery delivery, AttemptResult result) =>
        new(delivery, result, WebhookDeliveryStatus.Delivered, 0, null, null);

    /// <summary>Sending → Pending: not acknowledged; tried again at <paramref name="nextAttemptAt"/>.</summary>
    public static AttemptRecord RecordFailedAttempt(ClaimedDelivery delivery, AttemptResult result, DateTimeOffset nextAttemptAt, DateTimeOffset? pauseReceiverUntil) =>
        new(delivery, result, WebhookDeliveryStatus.Pending, delivery.ConsecutiveFailures + 1, nextAttemptAt, pauseReceiverUntil);

    /// <summary>Sending → Failed: not acknowledged, and its retry window is over.</summary>
    public static AttemptRecord GiveUp(ClaimedDelivery delivery, AttemptResult result, DateTimeOffset? pauseReceiverUntil) =>
        new(delivery, result, WebhookDeliveryStatus.Failed, delivery.ConsecutiveFailures + 1, null, pauseReceiverUntil);

    /// <summary>
    /// Saves what finished attempts came to (Sending → Delivered, Pending or Failed) and marks up to <paramref name="limit"/>
    /// due deliveries Sending under a <see cref="Lease"/> (Pending → Sending): one round trip and one commit for a round
    /// of the sender, which is what bounds its rate on a durable database.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> SaveAndMarkSendingAsync(IReadOnlyList<AttemptRecord> finished, DateTimeOffset now, int limit, CancellationToken ct)
    {
        if (finished.Count == 0 && limit == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
        if (limit > 0)
        {
            batch.BatchCommands.Add(Command(ClaimSql, ("now", now), ("limit", limit), ("claimed_until", now + Lease)));
        }

        AddSave(batch, finished);
        var claimed = new List<ClaimedDelivery>(limit);
        await using var reader = await batch.ExecuteReaderAsync(ct); // one implicit transaction: the claims and the outcomes commit together
        while (limit > 0 && await reader.ReadAsync(ct))
        {
            claimed.Add(new ClaimedDelivery(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetGuid(4), reader.GetString(5), reader.GetString(6), reader.GetGuid(7), reader.GetString(8), reader.GetString(9)));
        }

        while (await reader.NextResultAsync(ct))
        {
            // the outcomes' statements return no rows; reading on runs them and surfaces their errors
        }

        return claimed;
    }

    private static void AddSave(NpgsqlBatch batch, IReadOnlyList<AttemptRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        var ids = records.Select(r => r.Delivery.Id).ToArray();
        var attempts = records.Select(r => r.Delivery.Attempt).ToArray();
        var attemptedAts = records.Select(r => r.Result.AttemptedAt).ToArray();
        var statusCodes = records.Select(r => r.Result.StatusCode).ToArray();
        var errors = records.Select(r => r.Result.Error).ToArray();
        var pauses = records.Where(r => r.PauseReceiverUntil is not null).GroupBy(r => r.Delivery.SubscriptionId)
            .Select(g => (Subscription: g.Key, Until: g.Max(r => r.PauseReceiverUntil!.Value))).ToList();
        batch.BatchCommands.Add(Command(RecordOutcomesSql,
            ("ids", ids), ("attempts", attempts), ("statuses", records.Select(r => r.Status.ToString()).ToArray()),
            ("next_attempts", records.Select(r => r.NextAttemptAt).ToArray()), ("consecutive_failures", records.Select(r => r.ConsecutiveFailures).ToArray()),
            ("attempted_ats", attemptedAts), ("status_codes", statusCodes), ("errors", errors),
            ("finished_ats", records.Select(r => r.Status is WebhookDeliveryStatus.Delivered or WebhookDeliveryStatus.Failed ? r.Result.FinishedAt : (DateTimeOffset?)null).ToArray())));
        batch.BatchCommands.Add(Command(RecordAttemptsSql,
            ("ids", ids), ("attempts", attempts), ("attempted_ats", attemptedAts), ("status_codes", statusCodes), ("errors", errors),
            ("durations", records.Select(r => r.Result.DurationMs).ToArray())));
        if (pauses.Count > 0)
        {
            batch.BatchCommands.Add(Command(PauseReceiversSql,
                ("subscription_ids", pauses.Select(p => p.Subscription).ToArray()), ("untils", pauses.Select(p => p.Until).ToArray())));
        }
    }

    /// <summary>
    /// Delivered, Failed or Pending → Pending, due now, with a fresh retry window ("send again"); the receiver's pause is
    /// lifted so it goes at once. A delivery on the wire (Sending) is left alone: false.
    /// </summary>
    public static async Task<bool> RedeliverAsync(CommunityFunnelDbContext db, Guid subscriptionId, Guid eventId, DateTimeOffset now, CancellationToken ct)
    {
        var again = await db.WebhookDeliveries
            .Where(d => d.SubscriptionId == subscriptionId && d.EventId == eventId && d.Status != WebhookDeliveryStatus.Sending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Pending)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.GiveUpAt, now + WebhookBackoff.RetryWindow)
                .SetProperty(d => d.ConsecutiveFailures, 0)
                .SetProperty(d => d.FinishedAt, (DateTimeOffset?)null), ct);
        if (again == 0)
        {
            return false;
        }

        await db.WebhookSubscriptions.Where(s => s.Id == subscriptionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.PausedUntil, (DateTimeOffset?)null), ct);
        return true;
    }

    /// <summary>Pending → Failed for deliveries of disabled subscriptions whose window is over: nothing will send them.</summary>
    public async Task<int> GiveUpWhileDisabledAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.WebhookDeliveries
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.GiveUpAt < now
                && db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && !s.IsActive))
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Failed)
                .SetProperty(d => d.FinishedAt, now)
                .SetProperty(d => d.LastError, "Given up: the subscription was disabled until the retry window ended."), ct);
    }

    /// <summary>Removes up to <paramref name="batchSize"/> deliveries (and their attempts) that finished before <paramref name="before"/>.</summary>
    public async Task<int> PurgeFinishedAsync(DateTimeOffset before, int batchSize, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var old = db.WebhookDeliveries
            .Where(d => (d.Status == WebhookDeliveryStatus.Delivered || d.Status == WebhookDeliveryStatus.Failed) && d.FinishedAt < before)
            .OrderBy(d => d.FinishedAt).Take(batchSize).Select(d => d.Id);
        return await db.WebhookDeliveries.Where(d => old.Contains(d.Id)).ExecuteDeleteAsync(ct);
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }

        return command;
    }

    private static string ReadSql(string file)
    {
        using var stream = typeof(WebhookDeliveryStore).Assembly.GetManifestResourceStream($"{typeof(WebhookDeliveryStore).Namespace}.Sql.{file}")
            ?? throw new InvalidOperationException($"The embedded SQL {file} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
