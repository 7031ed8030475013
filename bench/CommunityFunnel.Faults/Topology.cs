using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CommunityFunnel.Faults;

/// <summary>
/// deploy/'s topology on loopback: one durable PostgreSQL cluster, three app instances (each running Hangfire and the
/// post dispatcher, as the recipe does), nginx in front with the recipe's config, and loopback WeCom robots.
/// Disposing stops and removes all of it, whatever state a scenario left it in.
/// </summary>
internal sealed class Topology : IAsyncDisposable
{
    public const string ApiKey = "cf_faults-admin-key-0123456789abcdef";
    private readonly string _directory;

    private Topology(string directory, LocalPostgres postgres, LoopbackRobots robots)
    {
        _directory = directory;
        Postgres = postgres;
        Robots = robots;
    }

    public LocalPostgres Postgres { get; }

    public LoopbackRobots Robots { get; }

    public List<AppInstance> Apps { get; } = [];

    public NginxProxy Nginx { get; private set; } = null!;

    public static async Task<Topology> StartAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var directory = Directory.CreateTempSubdirectory("cf-faults-").FullName;
        LocalPostgres postgres;
        try
        {
            // Its own temp directory: as root the script hands the cluster to the postgres user, who must reach it.
            postgres = await LocalPostgres.StartAsync(Directory.CreateTempSubdirectory("cf-faults-pg-").FullName, ct);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }

        var topology = new Topology(directory, postgres, await LoopbackRobots.StartAsync());
        try
        {
            var ports = Enumerable.Range(0, 3).Select(_ => FreePort()).ToList();
            var nginxPort = FreePort();
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings__CommunityFunnel"] = postgres.ConnectionString,
                ["App__PublicBaseUrl"] = $"http://127.0.0.1:{nginxPort}",
                ["ForwardedHeaders__KnownProxies"] = "127.0.0.1",
                ["Hangfire__RunServer"] = "true",
                ["Announcements__RunDispatcher"] = "true",
                ["Bootstrap__AdminPassword"] = "faults-admin-password",
                ["Bootstrap__ApiKey"] = ApiKey,
                ["RateLimits__ApiPerMinute"] = "10000000", // one key plays every member here
                ["Serilog__MinimumLevel__Default"] = "Warning", // a request log line per claim would measure the console
                ["Channels__AllowPrivateAddresses"] = "true",
                ["Channels__WeCom__BaseUrl"] = topology.Robots.BaseAddress.ToString(),
            };
            // All three at once, as an orchestrator starts them: set-up runs once, under the app's advisory lock.
            for (var i = 0; i < ports.Count; i++)
            {
                topology.Apps.Add(AppInstance.Start($"app{i + 1}", ports[i], Path.Combine(directory, $"app{i + 1}.log"), settings));
            }

            await Task.WhenAll(topology.Apps.Select(app => app.WaitReadyAsync(TimeSpan.FromMinutes(2), ct)));
            topology.Nginx = await NginxProxy.StartAsync(Path.Combine(directory, "nginx"), nginxPort, ports, ct);
            Console.WriteLine($"topology up in {clock.Elapsed.TotalSeconds:0} s: nginx {topology.Nginx.BaseAddress} -> "
                + string.Join(", ", topology.Apps.Select(a => $"{a.Name} :{a.Port}")) + $"; PostgreSQL {new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString).Port}");
            return topology;
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the proxy without cookies: every request may reach any instance.</summary>
    public HttpClient ApiClient(TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = Nginx.BaseAddress,
            DefaultRequestHeaders = { Authorization = new("Bearer", ApiKey) },
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };

    public void PrintLogTails()
    {
        foreach (var app in Apps)
        {
            Console.WriteLine($"--- last lines of {app.Name}'s log ---");
            Console.WriteLine(AppInstance.Tail(app.LogFile, 15));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        foreach (var app in Apps)
        {
            await app.DisposeAsync();
        }

        await Robots.DisposeAsync();
        await Postgres.DisposeAsync();
        if (Environment.GetEnvironmentVariable("COMMUNITYFUNNEL_FAULTS_LOGS") is { Length: > 0 } keep)
        {
            // the instances' and nginx's logs, for a failure's evidence
            var target = Directory.CreateDirectory(Path.Combine(keep, $"{DateTime.UtcNow:HHmmss}-{Path.GetFileName(_directory)}")).FullName;
            foreach (var log in Directory.EnumerateFiles(_directory, "*.log", SearchOption.AllDirectories))
            {
                File.Copy(log, Path.Combine(target, Path.GetFileName(log)));
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
