using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Domain.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Webhooks;

/// <summary>
/// Posts due webhook deliveries: signed like the generic webhook channel (<see cref="WebhookConnector.Sign"/>) with the
/// event id in <see cref="EventIdHeader"/>, through the channels' SSRF-guarded client. Claims as sending slots free up,
/// so one slow receiver holds a slot, not a batch; several instances share the queue through the store's SKIP LOCKED
/// claim. 2xx is delivered; anything else is tried again with backoff until the retry window ends.
/// </summary>
public sealed class WebhookSender(
    WebhookDeliveryStore store,
    WebhookSecrets secrets,
    IHttpClientFactory clients,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookSender> logger)
{
    public const string EventIdHeader = "X-CommunityFunnel-Event-Id";
    public const string EventTypeHeader = "X-CommunityFunnel-Event";

    /// <summary>How long an answer may wait to be recorded with others: each round (outcomes and the next claims) is one commit.</summary>
    private static readonly TimeSpan RecordWithin = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one run goes on claiming; a longer backlog is taken up by the next run, so no run holds a job worker for long.</summary>
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(1);

    /// <summary>
    /// One run at a time per instance: the recurring job fires every 2 seconds whether or not the last run has finished,
    /// and runs piling up would multiply the requests on the wire (and take every job worker). Not for correctness:
    /// the claims decide who sends what, across instances too.
    /// </summary>
    private int _running;

    /// <summary>Sends until nothing more is due (or for <see cref="ClaimFor"/>); returns how many attempts were recorded, 0 when a run is already going on here.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return 0;
        }

        try
        {
            return await SendAsync(ct);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task<int> SendAsync(CancellationToken ct)
    {
        var slots = Math.Max(1, options.Value.MaxConcurrentRequests);
        var handful = Math.Max(1, slots / 4); // claim and record in handfuls, not one slot at a time: each round is a round trip and a commit
        var started = clock.GetTimestamp();
        await store.ReclaimAbandonedAsync(clock.GetUtcNow(), ct);
        var signingSecrets = new Dictionary<Guid, string?>();
        var inFlight = new List<Task<AttemptRecord>>();
        var finished = new List<AttemptRecord>();
        long? oldestFinished = null;
        var recorded = 0;
        try
        {
            var moreDue = true;
            while (true)
            {
                var free = slots - inFlight.Count;
                var claim = moreDue && (inFlight.Count == 0 || free >= handful) && clock.GetElapsedTime(started) < ClaimFor;
                var record = finished.Count >= handful || (finished.Count > 0 && (inFlight.Count == 0 || clock.GetElapsedTime(oldestFinished!.Value) >= RecordWithin));
                if (claim || record)
                {
                    var claimed = await store.SaveAndMarkSendingAsync(finished, clock.GetUtcNow(), claim ? free : 0, ct);
                    (recorded, oldestFinished) = (recorded + finished.Count, null);
                    finished.Clear();
                    moreDue = claim ? claimed.Count > 0 : moreDue;
                    inFlight.AddRange(claimed.Select(d => AttemptAsync(d, SigningSecret(d, signingSecrets), ct)));
                }

                if (inFlight.Count == 0)
                {
                    return recorded;
                }

                Task anotherAnswer = Task.WhenAny(inFlight);
                await (finished.Count == 0 ? anotherAnswer : Task.WhenAny(anotherAnswer, Task.Delay(RecordWithin, ct)));
                if (TakeFinished(inFlight, finished) && oldestFinished is null)
                {
                    oldestFinished = clock.GetTimestamp();
                }
            }
        }
        finally
        {
            // Stopping: what already has an answer is recorded; an attempt cut off stays Sending, for the lease to hand back.
            await Task.WhenAll(inFlight.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)));
            TakeFinished(inFlight, finished);
            await store.SaveAndMarkSendingAsync(finished, clock.GetUtcNow(), limit: 0, CancellationToken.None);
        }
    }

    /// <summary>Moves the attempts that have finished from <paramref name="inFlight"/> to <paramref name="finished"/>; true when there were any.</summary>
    private bool TakeFinished(List<Task<AttemptRecord>> inFlight, List<AttemptRecord> finished)
    {
        var done = inFlight.Where(t => t.IsCompleted).ToList();
        inFlight.RemoveAll(done.Contains); // not IsCompleted again: one finishing in between would be dropped unrecorded
        foreach (var failed in done.Where(t => t.IsFaulted))
        {
            logger.LogError(failed.Exception, "A webhook attempt failed unexpectedly; its delivery is sent again when its lease ends");
        }

        finished.AddRange(done.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
        return done.Count > 0;
    }

    /// <summary>The subscription's secret, decrypted once per run; null when the key ring no longer has its key.</summary>
    private string? SigningSecret(ClaimedDelivery delivery, Dictionary<Guid, string?> known)
    {
        if (!known.TryGetValue(delivery.SubscriptionId, out var secret))
        {
            try
            {
                secret = secrets.Unprotect(delivery.ProtectedSecret);
            }
            catch (CryptographicException)
            {
                secret = null;
            }

            known[delivery.SubscriptionId] = secret;
        }

        return secret;
    }

    private async Task<AttemptRecord> AttemptAsync(ClaimedDelivery delivery, string? secret, CancellationToken ct)
    {
        var attemptedAt = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        var (statusCode, error, retryAfter) = secret is null
            ? (null, "The signing secret cannot be read: its Data Protection key is gone. Disable this subscription and create it again.", null)
            : await PostAsync(delivery, secret, ct);
        var result = new AttemptResult(attemptedAt, clock.GetUtcNow(), (int)clock.GetElapsedTime(started).TotalMilliseconds, statusCode, error, retryAfter);
        if (result.Delivered)
        {
            return WebhookDeliveryStore.RecordDelivered(delivery, result);
        }

        var pause = WebhookBackoff.ReceiverPause(result.Answered, retryAfter) is { } forHowLong ? result.FinishedAt + forHowLong : (DateTimeOffset?)null;
        if (WebhookBackoff.NextAttempt(delivery.ConsecutiveFailures + 1, result.FinishedAt, delivery.GiveUpAt, retryAfter) is { } next)
        {
            logger.LogInformation("Webhook delivery {DeliveryId} of event {EventId} to subscription {SubscriptionId} was not acknowledged ({Outcome}); next attempt at {NextAttemptAt:O}",
                delivery.Id, delivery.EventId, delivery.SubscriptionId, statusCode?.ToString(CultureInfo.InvariantCulture) ?? "no answer", next);
            return WebhookDeliveryStore.RecordFailedAttempt(delivery, result, next, pause);
        }

        logger.LogWarning("Webhook delivery {DeliveryId} of event {EventId} to subscription {SubscriptionId} gave up after {Attempts} attempts",
            delivery.Id, delivery.EventId, delivery.SubscriptionId, delivery.Attempt);
        return WebhookDeliveryStore.GiveUp(delivery, result, pause);
    }

    /// <summary>One signed POST; the answer's status code, or why there was none. Nothing here logs the URL, body or secret.</summary>
    private async Task<(int? StatusCode, string? Error, TimeSpan? RetryAfter)> PostAsync(ClaimedDelivery delivery, string secret, CancellationToken ct)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
            // HTTP/2 where the receiver offers it (TLS), so a burst shares connections; HTTP/1.1 otherwise.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Add(WebhookConnector.TimestampHeader, timestamp);
        request.Headers.Add(WebhookConnector.SignatureHeader, WebhookConnector.Sign(secret, timestamp, delivery.Body));
        request.Headers.Add(EventIdHeader, delivery.EventId.ToString());
        request.Headers.Add(EventTypeHeader, delivery.EventType);

        var timeout = options.Value.RequestTimeout;
        using var http = clients.CreateClient(SafeHttp.ClientName);
        http.Timeout = timeout;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException ex) when (ex.InnerException is PrivateAddressRefusedException refused)
        {
            return (null, refused.Message, null);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.InnerException is SocketException socket ? $"Connection failed: {socket.SocketErrorCode}" : $"No answer: {ex.HttpRequestError}", null);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"No answer within {timeout.TotalSeconds:0.#} s", null);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return (status, null, null);
            }

            var body = await SafeHttp.ReadCappedAsync(response, timeout, ct);
            var retryAfter = status is 429 or 503 ? RetryAfter.FromRetryAfterHeader(response) : null;
            var answer = body.Length == 0 ? response.ReasonPhrase ?? "" : $"{response.ReasonPhrase}: {body}";
            return (status, Shorten(answer.Replace(secret, "[secret]", StringComparison.Ordinal)), retryAfter);
        }
    }

    private static string Shorten(string text) =>
        text.Length <= WebhookAttempt.ErrorMaxLength ? text : text[..(WebhookAttempt.ErrorMaxLength - 1)] + "…";
}
