using CommunityFunnel.Application.Announcements;

namespace CommunityFunnel.Web.Jobs;

/// <summary>Runs the application's dispatch loop for the life of this instance.</summary>
internal sealed class DispatcherLoop(DispatchLoop loop) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loop.RunAsync(stoppingToken);
}
