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
        // Batches still waiting for their time or for a slow platform: the loop goes on claiming meanwhile.
        var delivering = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ObserveFinishedAsync(delivering);
                var (claimed, batch) = await dispatcher.StartOnceAsync(stoppingToken);
                if (claimed > 0)
                {
                    delivering.Add(batch);
                    continue; // there may be more due right now
                }

                var next = await dispatcher.NextDueAsync(stoppingToken);
                var wait = next is null ? MaxSleep : next.Value - DeliveryDispatcher.Lookahead - clock.GetUtcNow();
                wait = wait <= TimeSpan.Zero ? RateLimitedPause : wait > MaxSleep ? MaxSleep : wait;
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "The delivery dispatcher failed; retrying in a second");
                await signal.WaitAsync(MaxSleep, CancellationToken.None);
            }
        }

        // Stopping: held posts go back unsent and outcomes already known are recorded before the loop ends.
        while (delivering.Count > 0)
        {
            await Task.WhenAny(delivering);
            await ObserveFinishedAsync(delivering);
        }
    }

    private async Task ObserveFinishedAsync(List<Task> delivering)
    {
        foreach (var batch in delivering.Where(t => t.IsCompleted).ToList())
        {
            delivering.Remove(batch);
            try
            {
                await batch;
            }
            catch (OperationCanceledException)
            {
                // stopped mid-request: those deliveries stay Sending until their lease flags them
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A delivery batch failed; its deliveries are settled when their lease runs out");
            }
        }
    }
}
