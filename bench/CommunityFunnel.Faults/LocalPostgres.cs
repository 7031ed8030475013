using Npgsql;

namespace CommunityFunnel.Faults;

/// <summary>
/// A throwaway cluster from scripts/local-postgres.sh with durable settings (fsync and synchronous_commit on, as in
/// production: a fast stop and a start must lose nothing that was committed).
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string _directory;
    private string _port = "auto";

    private LocalPostgres(string directory) => _directory = directory;

    public string ConnectionString { get; private set; } = "";

    public static async Task<LocalPostgres> StartAsync(string directory, CancellationToken ct)
    {
        var cluster = new LocalPostgres(directory);
        // "auto" takes the first free port, which another cluster starting at the same moment may take first
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await cluster.StartAsync(ct);
                return cluster;
            }
            catch (InvalidOperationException) when (attempt < 3 && !ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Starts again on the same port, so every app's connection string still points at it.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var server = await ScriptAsync("start", ct);
        _port = new NpgsqlConnectionStringBuilder(server).Port.ToString();
        ConnectionString = server;
    }

    /// <summary>pg_ctl stop -m fast: clients are disconnected, open transactions roll back.</summary>
    public Task StopAsync(CancellationToken ct) => ScriptAsync("stop", ct);

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ScriptAsync("stop", CancellationToken.None);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task<string> ScriptAsync(string verb, CancellationToken ct)
    {
        var environment = new Dictionary<string, string>
        {
            ["COMMUNITYFUNNEL_PG_DIR"] = _directory,
            ["COMMUNITYFUNNEL_PG_PORT"] = _port,
            ["COMMUNITYFUNNEL_PG_DATABASE"] = "communityfunnel",
            ["COMMUNITYFUNNEL_PG_FAST"] = "0", // durable even when the caller (.ci/run) exports the fast setting for its tests
        };
        var (exitCode, output) = await Processes.RunAsync("bash", [Path.Combine(Repository.Root, "scripts", "local-postgres.sh"), verb], environment, ct);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"local-postgres.sh {verb} failed:\n{output}");
        }

        // stdout's last line is the connection string; the script logs to stderr, which comes after it here
        return output.Split('\n').FirstOrDefault(line => line.StartsWith("Host=", StringComparison.Ordinal)) ?? "";
    }
}
