using System.Diagnostics;
using System.Net;

namespace CommunityFunnel.Faults;

/// <summary>One app process (Release build, Production settings) on its own loopback port, as one instance of a deployment.</summary>
internal sealed class AppInstance : IAsyncDisposable
{
    private static readonly string[] TcpTables = ["/proc/net/tcp", "/proc/net/tcp6"];
    private readonly Process _process;

    private AppInstance(string name, Process process, int port, string logFile)
    {
        Name = name;
        _process = process;
        Port = port;
        LogFile = logFile;
    }

    public string Name { get; }

    public int Port { get; }

    public string LogFile { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public static AppInstance Start(string name, int port, string logFile, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet", [Repository.WebAssembly]) { WorkingDirectory = Repository.WebProject };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return new AppInstance(name, Processes.StartLogged(start, logFile), port, logFile);
    }

    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while starting; see {LogFile}:\n{Tail(LogFile)}");
            }

            try
            {
                if ((await probe.GetAsync("/health/ready", ct)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // not listening yet
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s:\n{Tail(LogFile)}");
    }

    public Task KillAsync() => Processes.KillAsync(_process);

    /// <summary>This process's established TCP connections to a loopback port (Linux: its socket fds, matched in /proc/net/tcp).</summary>
    public int ConnectionsTo(int port)
    {
        var inodes = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFiles($"/proc/{_process.Id}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // closed while we looked
            }
        }

        // "sl local_address rem_address st ... inode": addresses are hex ip:port, state 01 is ESTABLISHED. .NET's
        // sockets are dual-mode IPv6 ones, so its connections to 127.0.0.1 are listed in tcp6 (as ::ffff:127.0.0.1).
        return TcpTables.SelectMany(table => File.ReadLines(table).Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(f => f[3] == "01" && Convert.ToInt32(f[2].Split(':')[^1], 16) == port && inodes.Contains(f[9]));
    }

    public async ValueTask DisposeAsync()
    {
        await Processes.KillAsync(_process);
        _process.Dispose();
    }

    public static string Tail(string file, int lines = 25) =>
        File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(lines)) : "(no log)";
}
