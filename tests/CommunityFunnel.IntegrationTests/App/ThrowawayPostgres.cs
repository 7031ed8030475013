using System.Diagnostics;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Npgsql;

namespace CommunityFunnel.IntegrationTests.App;

/// <summary>A private PostgreSQL cluster (scripts/local-postgres.sh, no fsync) that a test may stop and start again.</summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cf-outage-pg-").FullName;

    private ThrowawayPostgres()
    {
    }

    public string ConnectionString { get; private set; } = "";

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var cluster = new ThrowawayPostgres();
        cluster.ConnectionString = await cluster.RunAsync("start", "auto");
        return cluster;
    }

    /// <summary>pg_ctl stop -m fast: open connections are terminated (57P01), new ones refused.</summary>
    public Task StopAsync() => RunAsync("stop", "auto");

    /// <summary>Starts the same cluster on the same port, so the app's connection string works again.</summary>
    public Task StartAgainAsync() => RunAsync("start", new NpgsqlConnectionStringBuilder(ConnectionString).Port.ToString());

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<string> RunAsync(string verb, string port)
    {
        var script = Path.Combine(PostgresFixture.RepositoryRoot(), "scripts", "local-postgres.sh");
        var start = new ProcessStartInfo("bash", [script, verb]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["COMMUNITYFUNNEL_PG_DIR"] = _directory;
        start.Environment["COMMUNITYFUNNEL_PG_PORT"] = port;
        start.Environment["COMMUNITYFUNNEL_PG_FAST"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"local-postgres.sh {verb} failed: {await errors}");
        return (await output).Trim();
    }
}
