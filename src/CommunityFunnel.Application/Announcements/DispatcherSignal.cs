using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Announcements;

/// <summary>
/// Wakes dispatcher loops when new posts are scheduled, instead of waiting for their next poll: this instance's at
/// once, and every other instance's through PostgreSQL NOTIFY (see <see cref="DispatchListener"/>).
/// </summary>
public sealed class DispatcherSignal : IDisposable
{
    public const string Channel = "funnel_dispatch";
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

    /// <summary>After new posts are committed: wake this instance, and tell the others.</summary>
    public async Task WakeAllAsync(CommunityFunnelDbContext db, CancellationToken ct)
    {
        Wake();
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, '')", ct);
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}
