using System.Collections.Concurrent;

namespace CommunityFunnel.Faults;

/// <summary>
/// Polls /health/ready through nginx and on each instance directly, each target on its own loop (a slow one does not
/// hold back the others), recording (time, target, status; 0: no answer within 3 s).
/// </summary>
internal sealed class HealthProbe(Topology topology, Func<double> now)
{
    public ConcurrentQueue<(double At, string Target, int Status)> Probes { get; } = new();

    public async Task RunAsync(CancellationToken stop)
    {
        var targets = topology.Apps.Select(a => (a.Name, a.BaseAddress)).Prepend((Name: "nginx", topology.Nginx.BaseAddress)).ToList();
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(3) };
        await Task.WhenAll(targets.Select(async target =>
        {
            while (!stop.IsCancellationRequested)
            {
                var at = now();
                try
                {
                    using var response = await http.GetAsync(new Uri(target.BaseAddress, "/health/ready"), CancellationToken.None);
                    Probes.Enqueue((at, target.Name, (int)response.StatusCode));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Probes.Enqueue((at, target.Name, 0));
                }

                try
                {
                    await Task.Delay(250, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }));
    }
}
