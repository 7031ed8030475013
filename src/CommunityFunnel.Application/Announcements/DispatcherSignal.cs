namespace CommunityFunnel.Application.Announcements;

/// <summary>Wakes this instance's dispatcher loop when new posts are scheduled, instead of waiting for its next poll.</summary>
public sealed class DispatcherSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // already signalled; one wake-up serves every post scheduled meanwhile
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}
