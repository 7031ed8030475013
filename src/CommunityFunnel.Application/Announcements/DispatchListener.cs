using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommunityFunnel.Application.Announcements;

/// <summary>
/// Listens for posts scheduled on other instances (NOTIFY funnel_dispatch) and wakes this instance's loop, so a post
/// due now leaves at once wherever it was scheduled. A lost connection only falls back to polling until it is back.
/// </summary>
public sealed class DispatchListener(IDbContextFactory<CommunityFunnelDbContext> dbFactory, DispatcherSignal signal, ILogger<DispatchListener> logger)
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(ct);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Lost the dispatch notifications; polling until they are back");
                await Task.Delay(Reconnect, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        string connectionString;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            connectionString = db.Database.GetConnectionString()!;
        }

        // Its own connection, outside the pool: it stays open, waiting.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString);
        await connection.OpenAsync(ct);
        connection.Notification += (_, _) => signal.Wake();
        await using (var listen = new NpgsqlCommand($"LISTEN {DispatcherSignal.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        signal.Wake(); // anything scheduled while we were not listening
        while (!ct.IsCancellationRequested)
        {
            await connection.WaitAsync(ct);
        }
    }
}
