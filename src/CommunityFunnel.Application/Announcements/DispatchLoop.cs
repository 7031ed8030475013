using Microsoft.Extensions.Logging;

namespace CommunityFunnel.Application.Announcements;

/// <summary>
/// Keeps deliveries on time: sleeps exactly until the next due instant, or until new posts wake it (scheduled here, or
/// on another instance through <see cref="DispatchListener"/>), never more than a second. The minutely Hangfire sweep
/// is the safety net.
/// </summary>
public sealed class DispatchLoop(DeliveryDispatcher dispatcher, DispatchListener listener, DispatcherSignal signal, TimeProvider clock, ILogger<DispatchLoop> logger)
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RateLimitedPause = TimeSpan.FromMilliseconds(200);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var listening = listener.RunAsync(stoppingToken);
        await DispatchAsync(stoppingToken);
        await listening;
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await dispatcher.RunOnceAsync(stoppingToken) > 0)
                {
                    continue; // there may be more due right now
                }

                var next = await dispatcher.NextDueAsync(stoppingToken);
                var wait = next is null ? MaxSleep : next.Value - DeliveryDispatcher.Lookahead - clock.GetUtcNow();
                wait = wait <= TimeSpan.Zero ? RateLimitedPause : wait > MaxSleep ? MaxSleep : wait;
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "The delivery dispatcher failed; retrying in a second");
                await Task.Delay(MaxSleep, clock, stoppingToken);
            }
        }
    }
}
