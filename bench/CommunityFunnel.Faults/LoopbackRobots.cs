using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.Faults;

/// <summary>
/// WeCom group robots on loopback (POST /cgi-bin/webhook/send?key=...), counting what each robot received. A post
/// counts as received once its body has arrived, as a platform acts on it; the answer can be held back
/// (<see cref="AnswerDelay"/>) so that a killed instance leaves requests in flight.
/// </summary>
internal sealed class LoopbackRobots : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackRobots(WebApplication app) => _app = app;

    public TimeSpan AnswerDelay { get; set; }

    /// <summary>Every message that arrived, per robot key.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<(string Text, DateTimeOffset At)>> Received { get; } = new();

    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<LoopbackRobots> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var robots = new LoopbackRobots(app);
        app.MapPost("/cgi-bin/webhook/send", async (HttpRequest request, CancellationToken ct) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            var text = body.RootElement.GetProperty("text").GetProperty("content").GetString() ?? "";
            robots.Received.GetOrAdd(request.Query["key"].ToString(), _ => new()).Enqueue((text, DateTimeOffset.UtcNow));
            await Task.Delay(robots.AnswerDelay, CancellationToken.None); // the sender may vanish meanwhile
            return Results.Json(new { errcode = 0, errmsg = "ok" });
        });
        await app.StartAsync();
        return robots;
    }

    public int Count(string key) => Received.TryGetValue(key, out var messages) ? messages.Count : 0;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
