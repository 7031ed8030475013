using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.IntegrationTests.Webhooks;

/// <summary>
/// A loopback system that subscribes to CommunityFunnel's webhooks: it keeps each request's headers and exact body, checks
/// the signature the way a receiver's own code would (HMAC-SHA256 computed here, not with the app's helper), and answers
/// as scripted per path (500, 429 with Retry-After, a hang), then 200.
/// </summary>
public sealed class EventReceiver : IAsyncDisposable
{
    public const string Secret = "receiver-signing-secret-0123456789";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> _scripts = new();

    private EventReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedEvent> Received { get; } = new();

    /// <summary>Requests whose body arrived, answered or still being answered (a scripted hang).</summary>
    public int Arrived => Received.Count;

    public static async Task<EventReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new EventReceiver(app);
        app.MapPost("/{**path}", (HttpContext http, string path) => receiver.HandleAsync(http, path));
        await app.StartAsync();
        return receiver;
    }

    public string Url(string path) =>
        new Uri(new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), path).ToString();

    /// <summary>The next answers on one path; after them, 200.</summary>
    public void Script(string path, params Reply[] replies)
    {
        var queue = _scripts.GetOrAdd(path, _ => new ConcurrentQueue<Reply>());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    public IReadOnlyList<ReceivedEvent> On(string path) => [.. Received.Where(r => r.Path == path)];

    private async Task<IResult> HandleAsync(HttpContext http, string path)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers;
        Received.Enqueue(new ReceivedEvent(path, headers["X-CommunityFunnel-Event-Id"].ToString(), headers["X-CommunityFunnel-Event"].ToString(),
            headers["X-CommunityFunnel-Timestamp"].ToString(), headers["X-CommunityFunnel-Signature"].ToString(), body, http.Request.ContentType));
        if (!_scripts.TryGetValue(path, out var queue) || !queue.TryDequeue(out var reply))
        {
            return Results.Ok();
        }

        if (reply.Hang is { } hang)
        {
            await Task.Delay(hang, http.RequestAborted);
        }

        foreach (var header in reply.Headers ?? new Dictionary<string, string>())
        {
            http.Response.Headers[header.Key] = header.Value;
        }

        return reply.Json is null ? Results.StatusCode(reply.Status) : Results.Json(reply.Json, statusCode: reply.Status);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record ReceivedEvent(string Path, string EventId, string EventType, string Timestamp, string Signature, string Body, string? ContentType)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>What a receiver checks: "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).</summary>
    public bool IsSignedWith(string secret) =>
        Signature == "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Timestamp + "." + Body)));
}
