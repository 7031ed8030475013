using CommunityFunnel.Application;
using CommunityFunnel.Application.Setup;
using CommunityFunnel.Bench;
using Microsoft.Extensions.DependencyInjection;

// dotnet run -c Release [-- grid|posting|claims|rebates|rain|webhooks]: all by default, each on a fresh database of the same durable cluster.
var which = args.FirstOrDefault() ?? "all";
await using var server = await BenchDatabase.StartAsync();
if (which is "all" or "grid")
{
    await using var services = await ServicesAsync(server, configure: null);
    await MemberGridBench.RunAsync(server, services);
}

if (which is "all" or "posting")
{
    await server.RecreateAsync();
    await using var platforms = await LoopbackPlatforms.StartAsync();
    await using var services = await ServicesAsync(server, platforms.Configure);
    await PostingBench.RunAsync(services, platforms);
}

if (which is "all" or "claims")
{
    await server.RecreateAsync();
    await using var services = await ServicesAsync(server, configure: null);
    await ClaimsBench.RunAsync(server, services);
}

if (which is "all" or "rebates")
{
    await server.RecreateAsync();
    await using var services = await ServicesAsync(server, configure: null);
    await RebatesBench.RunAsync(server, services);
}

if (which is "all" or "rain")
{
    await server.RecreateAsync();
    await using var services = await ServicesAsync(server, configure: null);
    await RainBench.RunAsync(server, services);
}

if (which is "all" or "webhooks")
{
    await server.RecreateAsync();
    await using var services = await ServicesAsync(server, WebhooksBench.Configure);
    await WebhooksBench.RunAsync(services);
}

static async Task<ServiceProvider> ServicesAsync(BenchDatabase server, Action<IServiceCollection>? configure)
{
    var collection = new ServiceCollection().AddLogging().AddCommunityFunnelApplication(server.ConnectionString);
    configure?.Invoke(collection);
    var services = collection.BuildServiceProvider();
    await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(new BootstrapOptions { AdminPassword = "bench-admin-password" }, seedDemo: false, default);
    return services;
}
