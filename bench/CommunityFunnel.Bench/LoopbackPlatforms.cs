using System.Collections.Concurrent;
using CommunityFunnel.Application.Announcements.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.Bench;

/// <summary>WeCom robots and Slack webhooks on loopback, answering as the real ones do, recording arrival times.</summary>
internal sealed class LoopbackPlatforms : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackPlatforms(WebApplication app) => _app = app;

    public ConcurrentQueue<DateTimeOffset> Arrivals { get; } = new();

    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<LoopbackPlatforms> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var platforms = new LoopbackPlatforms(app);
        app.MapPost("/cgi-bin/webhook/send", async (HttpRequest request) =>
        {
            await platforms.ArriveAsync(request);
            return Results.Json(new { errcode = 0, errmsg = "ok" });
        });
        app.MapPost("/slack/{id}", async (HttpRequest request) =>
        {
            await platforms.ArriveAsync(request);
            return Results.Text("ok");
        });
        await app.StartAsync();
        return platforms;
    }

    /// <summary>A post arrives with its body, as a platform acts on it; the headers may have come long before.</summary>
    private async Task ArriveAsync(HttpRequest request)
    {
        await request.Body.CopyToAsync(Stream.Null);
        Arrivals.Enqueue(DateTimeOffset.UtcNow);
    }

    public void Configure(IServiceCollection services) =>
        services.Configure<ChannelOptions>(options =>
        {
            options.AllowPrivateAddresses = true;
            options.WeCom.BaseUrl = BaseAddress.ToString();
        });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
