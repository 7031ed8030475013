using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CommunityFunnel.Application.Announcements.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback server that answers like WeCom, Telegram, Discord, Slack and a signed webhook receiver, in their real
/// wire formats. Tests script failures per destination (429 with retry_after, 500, a hang, WeCom's errcode in a 200)
/// and read back exactly what arrived.
/// </summary>
public sealed class PlatformServer : IAsyncDisposable
{
    public const string WebhookSecret = "webhook-signing-secret-0123456789";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> _scripts = new();
    private readonly ConcurrentQueue<string> _started = new();

    private PlatformServer(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Received { get; } = new();

    /// <summary>For each scripted large body: how many bytes the server wrote before the answer ended or the client hung up.</summary>
    public ConcurrentQueue<(long Written, bool Complete)> LargeBodies { get; } = new();

    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<PlatformServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new PlatformServer(app);
        app.MapPost("/cgi-bin/webhook/send", (HttpContext http, string key) => server.HandleAsync(http, "wecom", key, PlatformFormats.WeCom,
            ok: () => Results.Json(new { errcode = 0, errmsg = "ok" }), refuse: why => Results.Json(new { errcode = 40058, errmsg = why })));
        app.MapPost("/bot{token}/sendMessage", (HttpContext http, string token) => server.HandleAsync(http, "telegram", token, PlatformFormats.TelegramMessage,
            ok: () => Results.Json(new { ok = true, result = new { message_id = 1 } }), refuse: TelegramBadRequest));
        app.MapPost("/bot{token}/sendPhoto", (HttpContext http, string token) => server.HandleAsync(http, "telegram", token, PlatformFormats.TelegramPhoto,
            ok: () => Results.Json(new { ok = true, result = new { message_id = 1 } }), refuse: TelegramBadRequest));
        app.MapPost("/discord/{id}", (HttpContext http, string id) => server.HandleAsync(http, "discord", id, PlatformFormats.Discord,
            ok: () => Results.NoContent(), refuse: why => Results.Json(new { message = "Invalid Form Body", code = 50035, errors = why }, statusCode: 400)));
        app.MapPost("/slack/{id}", (HttpContext http, string id) => server.HandleAsync(http, "slack", id, PlatformFormats.Slack,
            ok: () => Results.Text("ok"), refuse: why => Results.Text(why, statusCode: 400)));
        app.MapPost("/hook/{id}", (HttpContext http, string id) => server.HandleAsync(http, "webhook", id, PlatformFormats.Webhook,
            ok: () => Results.Ok(), refuse: why => Results.Text(why, statusCode: 400)));
        await app.StartAsync();
        return server;
    }

    /// <summary>The next answers for one destination (robot key, bot token, webhook id); after them, success.</summary>
    public void Script(string destination, params Reply[] replies)
    {
        var queue = _scripts.GetOrAdd(destination, _ => new ConcurrentQueue<Reply>());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    public void Reset()
    {
        _scripts.Clear();
        _started.Clear();
        Received.Clear();
        LargeBodies.Clear();
    }

    public int CountFor(string destination) => Received.Count(r => r.Destination == destination);

    /// <summary>Requests whose headers arrived, body or not: a held post is here before it is in <see cref="Received"/>.</summary>
    public int StartedFor(string destination) => _started.Count(d => d == destination);

    private static IResult TelegramBadRequest(string why) =>
        Results.Json(new { ok = false, error_code = 400, description = "Bad Request: " + why }, statusCode: 400);

    private async Task<IResult> HandleAsync(
        HttpContext http, string platform, string destination, Func<JsonElement, PlatformMessage> read, Func<IResult> ok, Func<string, IResult> refuse)
    {
        _started.Enqueue(destination);
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        var signatureValid = platform != "webhook" || Signed(http, body.RootElement.GetRawText());
        var message = read(body.RootElement);
        Received.Enqueue(new Received(platform, destination, message.Text, DateTimeOffset.UtcNow, signatureValid)
        {
            Format = message.Format,
            ImageUrl = message.ImageUrl,
            Refusal = message.Refusal,
        });
        if (message.Refusal is { } why)
        {
            return refuse(why); // what the platform answers a request not in its format
        }

        if (!_scripts.TryGetValue(destination, out var queue) || !queue.TryDequeue(out var reply))
        {
            return ok();
        }

        if (reply.Hang is { } hang)
        {
            await Task.Delay(hang, http.RequestAborted);
        }

        foreach (var header in reply.Headers ?? new Dictionary<string, string>())
        {
            http.Response.Headers[header.Key] = header.Value;
        }

        if (reply.BodyBytes is { } bytes)
        {
            await WriteLargeBodyAsync(http, reply.Status, bytes);
            return Results.Empty;
        }

        return reply.Json is null ? Results.StatusCode(reply.Status) : Results.Json(reply.Json, statusCode: reply.Status);
    }

    /// <summary>Writes filler until <paramref name="bytes"/> are out, the client hangs up, or 20 seconds pass (an "endless" body).</summary>
    private async Task WriteLargeBodyAsync(HttpContext http, int status, long bytes)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain";
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        long written = 0;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        limit.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            while (written < bytes)
            {
                var size = (int)Math.Min(chunk.Length, bytes - written);
                await http.Response.Body.WriteAsync(chunk.AsMemory(0, size), limit.Token);
                written += size;
            }

            await http.Response.Body.FlushAsync(limit.Token);
            // Kestrel drops writes after a hang-up without failing them and tells RequestAborted a moment later: wait for it.
            await Task.Delay(TimeSpan.FromSeconds(1), http.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // the client stopped reading and hung up
        }

        LargeBodies.Enqueue((written, !http.RequestAborted.IsCancellationRequested));
    }

    private static bool Signed(HttpContext http, string rawBody)
    {
        var timestamp = http.Request.Headers[WebhookConnector.TimestampHeader].ToString();
        return http.Request.Headers[WebhookConnector.SignatureHeader] == WebhookConnector.Sign(WebhookSecret, timestamp, rawBody);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record Received(string Platform, string Destination, string Text, DateTimeOffset At, bool SignatureValid)
{
    /// <summary>The kind of message: "text", "news", "sendMessage", "sendPhoto", "embed", "blocks".</summary>
    public string Format { get; init; } = "text";

    /// <summary>The picture the message shows, as the platform would fetch it.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>Why the platform refused the request (not its wire format), or null when it took it.</summary>
    public string? Refusal { get; init; }
}

public sealed record Reply(int Status = (int)HttpStatusCode.OK, object? Json = null, TimeSpan? Hang = null, IReadOnlyDictionary<string, string>? Headers = null, long? BodyBytes = null)
{
    /// <summary>A body of <paramref name="bytes"/> bytes of filler; <see cref="long.MaxValue"/> streams until the client hangs up.</summary>
    public static Reply LargeBody(int status, long bytes) => new(status, BodyBytes: bytes);

    public static Reply WeComError(int errcode, string errmsg) => new(200, new { errcode, errmsg });

    public static Reply TelegramTooManyRequests(int retryAfterSeconds) =>
        new(429, new { ok = false, error_code = 429, description = $"Too Many Requests: retry after {retryAfterSeconds}", parameters = new { retry_after = retryAfterSeconds } });

    public static Reply ServerError() => new(500, new { error = "internal" });

    public static Reply Hangs(TimeSpan for_) => new(Hang: for_);
}
