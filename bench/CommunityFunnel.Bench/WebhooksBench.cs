using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Bench;

/// <summary>
/// 10,000 events in the outbox, drained to one subscribed loopback receiver by the relay and the webhook sender as
/// the two recurring jobs run them (concurrently, one app instance, default settings): the time until the receiver
/// has every event, against the 30 s budget and against the same 10,000 signed POSTs sent straight from an
/// HttpClient at the same concurrency (no database). The receiver checks every signature and counts duplicates.
/// </summary>
internal static class WebhooksBench
{
    private const int Events = 10_000;
    private const string Secret = "bench-webhook-secret-0123456789";
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    public static void Configure(IServiceCollection services) =>
        services.Configure<ChannelOptions>(options => options.AllowPrivateAddresses = true); // the receiver is on loopback

    public static async Task RunAsync(ServiceProvider services)
    {
        await using var receiver = await Receiver.StartAsync();
        var concurrency = services.GetRequiredService<IOptions<WebhookOptions>>().Value.MaxConcurrentRequests;
        var subscription = await services.GetRequiredService<WebhookService>().CreateAsync(Actor.System,
            new WebhookInput(receiver.Url, [PublishedEvents.MemberJoined], Secret), default);
        if (subscription.Failure is { } failure)
        {
            throw new InvalidOperationException(failure.Message);
        }

        Console.WriteLine();
        Console.WriteLine($"Webhooks: {Events:N0} events in the outbox to one loopback receiver ({concurrency} requests at a time):");
        await DrainAsync(services, receiver, 200, "warm-up"); // JIT, connection pool and key ring are not what gets measured
        var raw = await RawAsync(receiver, concurrency);
        var app = await DrainAsync(services, receiver, Events, "app");
        Console.WriteLine($"  raw: {Events:N0} signed POSTs from an HttpClient in {raw.TotalSeconds:0.00} s ({Events / raw.TotalSeconds:0} a second)");
        Console.WriteLine($"  app/raw {app.TotalSeconds / raw.TotalSeconds:0.00}x; budget {Budget.TotalSeconds:0} s: {app.TotalSeconds / Budget.TotalSeconds:0.00} of it");
    }

    private static async Task<TimeSpan> DrainAsync(ServiceProvider services, Receiver receiver, int events, string name)
    {
        var now = DateTimeOffset.UtcNow;
        await using (var db = await services.GetRequiredService<IDbContextFactory<CommunityFunnelDbContext>>().CreateDbContextAsync())
        {
            for (var i = 0; i < events; i++)
            {
                db.OutboxMessages.Add(new OutboxMessage(PublishedEvents.MemberJoined,
                    $$"""{"memberId":"{{Guid.NewGuid()}}","groupId":"{{Guid.NewGuid()}}","occurredAt":"{{now:O}}"}""", now));
            }

            await db.SaveChangesAsync();
        }

        receiver.Reset();
        GC.Collect();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var relayedIn = TimeSpan.Zero;
        var relaying = Task.Run(async () =>
        {
            await services.GetRequiredService<OutboxRelay>().DrainAsync(stop.Token);
            relayedIn = clock.Elapsed;
        });
        // As the recurring job runs it: a sender run every 2 s (one at a time per instance), each sending until nothing is
        // due; a run that finds the queue empty before the relay has filled it ends, and the next tick starts another.
        var sender = services.GetRequiredService<WebhookSender>();
        var tick = TimeSpan.FromSeconds(2);
        while (receiver.Distinct < events && !stop.IsCancellationRequested)
        {
            await sender.SendDueAsync(stop.Token);
            if (receiver.Distinct < events)
            {
                await Task.Delay(tick - TimeSpan.FromTicks(clock.Elapsed.Ticks % tick.Ticks), stop.Token);
            }
        }

        var elapsed = clock.Elapsed;
        await relaying;
        if (name != "warm-up")
        {
            Console.WriteLine($"  {name}: {receiver.Distinct:N0}/{events:N0} events arrived in {elapsed.TotalSeconds:0.00} s ({events / elapsed.TotalSeconds:0} a second);"
                + $" relay queued them all by {relayedIn.TotalSeconds:0.00} s; {receiver.Duplicates} duplicates, {receiver.BadSignatures} bad signatures");
        }

        return elapsed;
    }

    /// <summary>The same bodies and headers, signed the same way, posted straight from an HttpClient: what the network and receiver cost alone.</summary>
    private static async Task<TimeSpan> RawAsync(Receiver receiver, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        var bodies = Enumerable.Range(0, Events).Select(_ => Guid.CreateVersion7()).Select(id => (Id: id,
            Body: $$$"""{"id":"{{{id}}}","type":"member.joined","occurredAt":"{{{DateTimeOffset.UtcNow:O}}}","data":{"memberId":"{{{Guid.NewGuid()}}}"}}"""))
            .ToArray();
        receiver.Reset();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (e, ct) =>
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new StringContent(e.Body, Encoding.UTF8, "application/json") };
            request.Headers.Add(WebhookConnector.TimestampHeader, timestamp);
            request.Headers.Add(WebhookConnector.SignatureHeader, WebhookConnector.Sign(Secret, timestamp, e.Body));
            request.Headers.Add(WebhookSender.EventIdHeader, e.Id.ToString());
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
        });
        return clock.Elapsed;
    }

    /// <summary>A receiver as a subscriber would write one: verify the signature, remember the event id, answer 204.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, byte> _seen = new();
        private int _duplicates;
        private int _badSignatures;

        private Receiver(WebApplication app) => _app = app;

        public string Url => new Uri(new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "hooks/bench").ToString();
        public int Distinct => _seen.Count;
        public int Duplicates => _duplicates;
        public int BadSignatures => _badSignatures;

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/hooks/bench", receiver.HandleAsync);
            await app.StartAsync();
            return receiver;
        }

        public void Reset()
        {
            _seen.Clear();
            _duplicates = 0;
            _badSignatures = 0;
        }

        private async Task<IResult> HandleAsync(HttpRequest request)
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var timestamp = request.Headers[WebhookConnector.TimestampHeader].ToString();
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));
            if (request.Headers[WebhookConnector.SignatureHeader] != expected)
            {
                Interlocked.Increment(ref _badSignatures);
                return Results.Unauthorized();
            }

            if (!_seen.TryAdd(request.Headers[WebhookSender.EventIdHeader].ToString(), 0))
            {
                Interlocked.Increment(ref _duplicates);
            }

            return Results.NoContent();
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
