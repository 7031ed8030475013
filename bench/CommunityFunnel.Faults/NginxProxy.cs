using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CommunityFunnel.Faults;

/// <summary>
/// Debian's nginx in the foreground with its own prefix, pid and logs, running deploy/nginx/communityfunnel.conf as
/// shipped: only its listen address and the upstream servers (communityfunnel.upstream) are this run's. The access log
/// records which instance served each request, so the suite can check stickiness and fail-over.
/// </summary>
internal sealed partial class NginxProxy : IAsyncDisposable
{
    public const string AccessLogFormat = "$msec|$status|$uri|$upstream_addr|$cookie_cf_route";
    private readonly Process _process;

    private NginxProxy(Process process, int port, string accessLog)
    {
        _process = process;
        Port = port;
        AccessLog = accessLog;
    }

    public int Port { get; }

    public string AccessLog { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public static async Task<NginxProxy> StartAsync(string directory, int port, IEnumerable<int> appPorts, CancellationToken ct)
    {
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        foreach (var temp in new[] { "logs", "client_body", "proxy" })
        {
            Directory.CreateDirectory(Path.Combine(directory, temp));
        }

        var recipe = await File.ReadAllTextAsync(Repository.NginxRecipe, ct);
        var site = ListenDirective().Replace(recipe, $"listen 127.0.0.1:{port};", 1);
        if (site == recipe)
        {
            throw new InvalidOperationException($"{Repository.NginxRecipe} has no listen directive to point at this run's port.");
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "communityfunnel.conf"), site, ct);
        await File.WriteAllLinesAsync(Path.Combine(directory, "communityfunnel.upstream"),
            appPorts.Select(p => $"server 127.0.0.1:{p} max_fails=2 fail_timeout=10s;"), ct);
        var accessLog = Path.Combine(directory, "logs", "access.log");
        // As root, nginx would hand its workers to "nobody", who cannot write this private temp directory.
        var user = Environment.UserName == "root" ? "user root;" : "";
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
            {{user}}
            daemon off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/logs/error.log warn;
            events { worker_connections 4096; }
            http {
                log_format faults '{{AccessLogFormat}}';
                access_log {{accessLog}} faults buffer=64k flush=1s;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                include communityfunnel.conf;
            }
            """, ct);

        var check = await Processes.RunAsync(nginx, ["-t", "-q", "-p", directory, "-c", Path.Combine(directory, "nginx.conf")], ct: ct);
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException("nginx rejected the recipe:\n" + check.Output);
        }

        var process = Processes.StartLogged(new ProcessStartInfo(nginx, ["-p", directory, "-c", Path.Combine(directory, "nginx.conf")]),
            Path.Combine(directory, "logs", "nginx.out"));
        var proxy = new NginxProxy(process, port, accessLog);
        for (var i = 0; i < 100 && !process.HasExited; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, ct);
                return proxy;
            }
            catch (SocketException)
            {
                await Task.Delay(100, ct);
            }
        }

        await proxy.DisposeAsync();
        throw new InvalidOperationException("nginx did not start:\n" + AppInstance.Tail(Path.Combine(directory, "logs", "error.log")));
    }

    /// <summary>The access log so far (nginx flushes it every second).</summary>
    public async Task<IReadOnlyList<AccessLogLine>> ReadAccessLogAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        if (!File.Exists(AccessLog))
        {
            return [];
        }

        return File.ReadLines(AccessLog).Select(AccessLogLine.Parse).OfType<AccessLogLine>().ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Processes.KillAsync(_process, entireTree: true); // the master and its workers
        _process.Dispose();
    }

    [GeneratedRegex(@"listen\s+[^;]+;")]
    private static partial Regex ListenDirective();
}

/// <summary>One line of <see cref="NginxProxy.AccessLogFormat"/>; the upstream lists every instance tried ("a, b").</summary>
internal sealed record AccessLogLine(DateTimeOffset At, int Status, string Path, IReadOnlyList<string> Upstreams, string RouteCookie)
{
    /// <summary>The instance that answered (the last one tried).</summary>
    public string? ServedBy => Upstreams.Count == 0 ? null : Upstreams[^1];

    public static AccessLogLine? Parse(string line)
    {
        var fields = line.Split('|');
        if (fields.Length != 5 || !double.TryParse(fields[0], CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        string[] upstreams = fields[3] == "-" ? [] : fields[3].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new AccessLogLine(DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)), int.Parse(fields[1], CultureInfo.InvariantCulture),
            fields[2], upstreams, fields[4]);
    }
}
