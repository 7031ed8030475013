using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CommunityFunnel.Faults;

/// <summary>One HTTP attempt: when it started and ended on the rush's clock, and what came back (0: no answer at all).</summary>
internal sealed record Attempt(double Start, double End, int Status, bool RetryAfter, bool StackTrace)
{
    /// <summary>The service decided (a claim, or "sold out", "limit reached"): not an outage, a crash or a proxy error.</summary>
    public bool Answered => Status is >= 200 and < 500;
}

internal sealed record Acknowledged(Guid OrderId, Guid Sale, Guid Member, string IdempotencyKey);

/// <summary>
/// A flash-sale rush through nginx: every member presses "buy" again and again, each press with its own
/// Idempotency-Key, retried with that key (as the storefront does) when no decision came back. A new sale opens every
/// <see cref="Wave"/>, so claims are being won during the whole rush, not only in its first second.
/// </summary>
internal sealed class ClaimRush(HttpClient http, IReadOnlyList<Guid> members, IReadOnlyList<Guid> sales)
{
    public static readonly TimeSpan Wave = TimeSpan.FromSeconds(1);
    private const int TriesPerPress = 4;
    private sealed record ClaimAnswer(Guid OrderId);

    public Stopwatch Clock { get; } = new();

    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    public ConcurrentQueue<Acknowledged> Acknowledged { get; } = new();

    public double Now => Clock.Elapsed.TotalSeconds;

    /// <summary>When the members stop pressing, on the rush's clock; a scenario may move it while the rush runs.</summary>
    public TimeSpan Until { get; set; }

    public async Task RunAsync(TimeSpan until, CancellationToken ct)
    {
        Until = until;
        Clock.Start();
        await Task.WhenAll(members.Select((member, worker) => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var press = 0; Clock.Elapsed < Until && !ct.IsCancellationRequested; press++)
            {
                var sale = sales[Math.Min(sales.Count - 1, (int)(Clock.Elapsed / Wave))];
                await PressAsync(sale, member, $"{member:N}-{press}", ct);
                await Task.Delay(random.Next(20, 60), ct);
            }
        }, ct)));
    }

    private async Task PressAsync(Guid sale, Guid member, string key, CancellationToken ct)
    {
        for (var attempt = 0; attempt < TriesPerPress; attempt++)
        {
            var started = Now;
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/flash-sales/{sale}/claims")
            {
                Content = JsonContent.Create(new { memberId = member, quantity = 1 }),
                Headers = { { "Idempotency-Key", key } },
            };
            try
            {
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                var answer = new Attempt(started, Now, (int)response.StatusCode, response.Headers.RetryAfter is not null, LooksLikeStackTrace(body));
                Attempts.Enqueue(answer);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var claim = JsonSerializer.Deserialize<ClaimAnswer>(body, JsonSerializerOptions.Web)!;
                    Acknowledged.Enqueue(new Acknowledged(claim.OrderId, sale, member, key));
                }

                if (answer.Answered)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                Attempts.Enqueue(new Attempt(started, Now, 0, false, false));
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                Attempts.Enqueue(new Attempt(started, Now, 0, false, false)); // the client's timeout
            }

            await Task.Delay(200, ct);
        }
    }

    private static bool LooksLikeStackTrace(string body) =>
        body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal) || body.Contains("Npgsql", StringComparison.Ordinal);
}
