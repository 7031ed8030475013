using System.Diagnostics;
using Npgsql;

namespace CommunityFunnel.Bench;

/// <summary>
/// A scratch database on COMMUNITYFUNNEL_BENCH_POSTGRES, or on a throwaway cluster from scripts/local-postgres.sh
/// (durable settings: fsync and synchronous_commit stay on, as in production).
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string? _clusterDir;
    private string _database = $"cf_bench_{Guid.NewGuid():N}";

    private BenchDatabase(string server, string? clusterDir)
    {
        _server = server;
        _clusterDir = clusterDir;
    }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;

    public static async Task<BenchDatabase> StartAsync()
    {
        var server = Environment.GetEnvironmentVariable("COMMUNITYFUNNEL_BENCH_POSTGRES");
        string? clusterDir = null;
        if (string.IsNullOrWhiteSpace(server))
        {
            clusterDir = Directory.CreateTempSubdirectory("cf-bench-pg-").FullName;
            server = await LocalPostgresAsync("start", clusterDir);
        }

        var bench = new BenchDatabase(server, clusterDir);
        await bench.ExecuteAsync($"CREATE DATABASE \"{bench._database}\"");
        return bench;
    }

    /// <summary>A new empty database, so one benchmark's rows never slow the next.</summary>
    public async Task RecreateAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
        _database = $"cf_bench_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{_database}\"");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
        if (_clusterDir is not null)
        {
            await LocalPostgresAsync("stop", _clusterDir);
            Directory.Delete(_clusterDir, recursive: true);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> LocalPostgresAsync(string verb, string clusterDir)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "CommunityFunnel.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run the bench from inside the repository.");
        }

        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "local-postgres.sh"), verb]) { RedirectStandardOutput = true };
        start.Environment["COMMUNITYFUNNEL_PG_DIR"] = clusterDir;
        start.Environment["COMMUNITYFUNNEL_PG_PORT"] = "auto";
        start.Environment["COMMUNITYFUNNEL_PG_DATABASE"] = "postgres";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"local-postgres.sh {verb} failed");
    }
}
