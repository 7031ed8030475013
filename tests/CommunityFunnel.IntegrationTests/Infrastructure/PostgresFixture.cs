using System.Diagnostics;
using CommunityFunnel.Application;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Setup;
using CommunityFunnel.Application.SignIn.Sms;
using DotNet.Testcontainers.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Respawn;
using Respawn.Graph;
using Testcontainers.PostgreSql;

namespace CommunityFunnel.IntegrationTests.Infrastructure;

/// <summary>
/// One PostgreSQL per test run, found in this order: COMMUNITYFUNNEL_TEST_POSTGRES (a server connection string),
/// Testcontainers (where Docker runs), or a throwaway local cluster started with scripts/local-postgres.sh.
/// Each run gets its own scratch database with the real migrations applied.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string ServerVariable = "COMMUNITYFUNNEL_TEST_POSTGRES";
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "admin-password-for-tests";
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private PostgreSqlContainer? _container;
    private string? _localClusterDir;
    private string _serverConnectionString = "";
    private string? _scratchDatabase;
    private Respawner _respawner = null!;
    private CommunityFunnelAppFactory? _app;

    public string ConnectionString { get; private set; } = "";
    public TestClock Clock { get; } = new(Start);
    public PlatformServer Platforms { get; private set; } = null!;

    /// <summary>The loopback Twilio and Tencent Cloud SMS; the services and the shared app send through its Twilio side.</summary>
    public SmsServer Sms { get; private set; } = null!;

    /// <summary>Everything the application services logged, to prove no secret ever reaches a log.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>The public address the services hand platforms for a post's picture.</summary>
    public static readonly Uri PublicBase = new("https://shop.example.test/");

    public static void ConfigureChannels(ChannelOptions options, Uri platforms)
    {
        options.PublicBaseUrl = PublicBase;
        options.AllowPrivateAddresses = true; // the stand-in platforms listen on loopback
        options.WeCom.BaseUrl = platforms.ToString();
        options.Telegram.BaseUrl = platforms.ToString();
        options.RequestTimeout = TimeSpan.FromSeconds(2);
    }
    public ServiceProvider Services { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable(ServerVariable) ?? "";
        if (string.IsNullOrWhiteSpace(_serverConnectionString))
        {
            _serverConnectionString = await StartContainerAsync() ?? await StartLocalClusterAsync();
        }

        _scratchDatabase = $"cf_test_{Guid.NewGuid():N}";
        await ExecuteOnServerAsync($"CREATE DATABASE \"{_scratchDatabase}\"");
        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _scratchDatabase, MaxPoolSize = 200 }.ConnectionString;

        Platforms = await PlatformServer.StartAsync();
        Sms = await SmsServer.StartAsync();
        var smsSettings = new ConfigurationBuilder().AddInMemoryCollection(Sms.Settings(SmsOptions.TwilioProvider)).Build();
        Services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(Logs))
            .AddSingleton<TimeProvider>(Clock)
            .AddCommunityFunnelApplication(ConnectionString) // the production registration, not a copy
            .Configure<ChannelOptions>(options => ConfigureChannels(options, Platforms.BaseAddress))
            .Configure<SmsOptions>(smsSettings.GetSection(SmsOptions.Section))
            .BuildServiceProvider();
        await Initializer.InitializeAsync(Bootstrap, seedDemo: false, CancellationToken.None); // real migrations

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = [CommunityFunnelDbContext.Schema], // leaves the "hangfire" schema alone
            TablesToIgnore = [new Table(CommunityFunnelDbContext.Schema, "__EFMigrationsHistory"), new Table(CommunityFunnelDbContext.Schema, "data_protection_keys")],
        });
    }

    public static BootstrapOptions Bootstrap { get; } = new()
    {
        AdminEmail = AdminEmail,
        AdminPassword = AdminPassword,
        ApiKey = CommunityFunnelAppFactory.ApiKey,
    };

    /// <summary>The app, started once per run on a loopback port and shared by the HTTP and browser tests.</summary>
    public CommunityFunnelAppFactory App => _app ??= new CommunityFunnelAppFactory(ConnectionString, Sms.Settings(SmsOptions.TwilioProvider));

    public DatabaseInitializer Initializer => Services.GetRequiredService<DatabaseInitializer>();

    /// <summary>Empties every app table, then restores what start-up would: roles, the admin, default ladders.</summary>
    public async Task ResetAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await _respawner.ResetAsync(connection); // never swallow a failure here
        }

        Clock.SetUtcNow(Start);
        Platforms.Reset();
        Sms.Reset();
        Logs.Clear();
        await Initializer.InitializeAsync(Bootstrap, seedDemo: false, CancellationToken.None);
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A second app instance on the same database and the same test clock, with its own pools, caches and options.</summary>
    public ServiceProvider AnotherInstance(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Clock)
            .AddCommunityFunnelApplication(ConnectionString);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public Task<CommunityFunnelDbContext> CreateDbContextAsync() =>
        Services.GetRequiredService<IDbContextFactory<CommunityFunnelDbContext>>().CreateDbContextAsync();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await Services.DisposeAsync();
        await Platforms.DisposeAsync();
        await Sms.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (_scratchDatabase is not null && _container is null && _localClusterDir is null)
        {
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_scratchDatabase}\" WITH (FORCE)");
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_localClusterDir is not null)
        {
            await RunScriptAsync("stop", _localClusterDir);
            Directory.Delete(_localClusterDir, recursive: true);
        }
    }

    private async Task<string?> StartContainerAsync()
    {
        try
        {
            _container = new PostgreSqlBuilder("postgres:17-alpine").Build();
            await _container.StartAsync();
            return _container.GetConnectionString();
        }
        catch (Exception ex) when (ex is DockerUnavailableException or TypeInitializationException or InvalidOperationException)
        {
            _container = null;
            return null; // no Docker engine here: fall back to local server binaries
        }
    }

    private async Task<string> StartLocalClusterAsync()
    {
        _localClusterDir = Directory.CreateTempSubdirectory("cf-test-pg-").FullName;
        return await RunScriptAsync("start", _localClusterDir);
    }

    private static async Task<string> RunScriptAsync(string verb, string clusterDir)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "local-postgres.sh");
        var start = new ProcessStartInfo("bash", [script, verb]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["COMMUNITYFUNNEL_PG_DIR"] = clusterDir;
        start.Environment["COMMUNITYFUNNEL_PG_PORT"] = "auto";
        start.Environment["COMMUNITYFUNNEL_PG_FAST"] = "1";
        start.Environment["COMMUNITYFUNNEL_PG_DATABASE"] = "postgres";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL for the tests: set {ServerVariable}, run Docker, or install PostgreSQL server binaries. local-postgres.sh said: {errors}");
        }

        return output.Trim();
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CommunityFunnel.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (CommunityFunnel.sln).");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DatabaseCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "database";
}

/// <summary>Every DB test starts from empty tables; the collection runs its classes one at a time.</summary>
[Collection(DatabaseCollection.Name)]
public abstract class DatabaseTest(PostgresFixture database) : IAsyncLifetime
{
    protected PostgresFixture Database { get; } = database;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync() => await Database.ResetAsync();

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
