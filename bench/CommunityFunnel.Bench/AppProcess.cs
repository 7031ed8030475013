using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CommunityFunnel.Bench;

/// <summary>The web app in its own process (Release build, Production settings), as a deployment runs it.</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _apiKey;

    private AppProcess(Process process, Uri baseAddress, string apiKey)
    {
        _process = process;
        BaseAddress = baseAddress;
        _apiKey = apiKey;
    }

    public Uri BaseAddress { get; }

    /// <summary>A client for the load: the app's API key, and as many connections as the load has requests in flight.</summary>
    public HttpClient CreateApiClient() =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1000, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = BaseAddress,
            DefaultRequestHeaders = { Authorization = new("Bearer", _apiKey) },
        };

    public static async Task<AppProcess> StartAsync(string connectionString, string apiKey)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "CommunityFunnel.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var project = Path.Combine(root, "src", "CommunityFunnel.Web");
        using (var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "--nologo", "-v", "q"]) { RedirectStandardOutput = true })!)
        {
            await build.StandardOutput.ReadToEndAsync();
            await build.WaitForExitAsync();
        }

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(project, "bin", "Release", "net10.0", "CommunityFunnel.Web.dll")])
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__CommunityFunnel"] = connectionString;
        start.Environment["App__PublicBaseUrl"] = $"http://127.0.0.1:{port}"; // required outside Development
        start.Environment["Bootstrap__AdminPassword"] = "bench-admin-password";
        start.Environment["Bootstrap__ApiKey"] = apiKey;
        start.Environment["RateLimits__ApiPerMinute"] = "10000000"; // one key plays every member here
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning"; // a request log line per claim would measure the console
        start.Environment["Hangfire__RunServer"] = "false";
        start.Environment["Announcements__RunDispatcher"] = "false";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("app: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"), apiKey);
        using var probe = new HttpClient { BaseAddress = app.BaseAddress };
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await probe.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        await app.DisposeAsync();
        throw new InvalidOperationException("The app did not start within a minute.");
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
