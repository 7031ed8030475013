using System.Net;
using System.Net.WebSockets;
using System.Text.Json;

namespace CommunityFunnel.Faults;

/// <summary>
/// Browsers opening a Blazor circuit through nginx: a page, the negotiate POST, then the WebSocket with the connection
/// token negotiate returned. Only the instance that negotiated knows that token, so without sticky sessions two
/// browsers in three would be refused.
/// </summary>
internal static class StickySessions
{
    public static async Task CheckAsync(Topology topology, Findings findings, CancellationToken ct)
    {
        const int browsers = 12;
        var connected = 0;
        var cookies = new List<string>();
        for (var i = 0; i < browsers; i++)
        {
            var jar = new CookieContainer();
            using var browser = new HttpClient(new SocketsHttpHandler { CookieContainer = jar }) { BaseAddress = topology.Nginx.BaseAddress };
            (await browser.GetAsync("/login", ct)).EnsureSuccessStatusCode();
            using var negotiate = await browser.PostAsync("/_blazor/negotiate?negotiateVersion=1", null, ct);
            negotiate.EnsureSuccessStatusCode();
            using var answer = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync(ct));
            var token = answer.RootElement.GetProperty("connectionToken").GetString();
            using var socket = new ClientWebSocket();
            socket.Options.Cookies = jar;
            try
            {
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{topology.Nginx.Port}/_blazor?id={token}"), ct);
                connected++;
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
            catch (WebSocketException)
            {
                // refused: the WebSocket reached an instance that never saw this negotiation
            }

            cookies.Add(jar.GetCookies(topology.Nginx.BaseAddress)["cf_route"]?.Value ?? "");
        }

        var log = await topology.Nginx.ReadAccessLogAsync();
        var instancesPerBrowser = cookies.Select(cookie => log.Where(l => l.RouteCookie == cookie && cookie != "").SelectMany(l => l.Upstreams).Distinct().Count()).ToList();
        var browserInstances = cookies.Select(cookie => log.FirstOrDefault(l => l.RouteCookie == cookie && cookie != "")?.ServedBy).Distinct().Count();
        Findings.Table(
            ("browsers (cookie jar each): page, negotiate, WebSocket", browsers),
            ("WebSockets accepted after negotiate", connected),
            ("browsers whose requests all reached one instance", instancesPerBrowser.Count(n => n == 1)),
            ("instances the browsers were spread over", browserInstances));
        findings.Check("sticky sessions: every Blazor WebSocket reached the instance that negotiated it", connected == browsers && cookies.All(c => c != ""),
            $"{connected}/{browsers} connected");
        findings.Check("sticky sessions: one instance per browser, browsers spread over several", instancesPerBrowser.All(n => n == 1) && browserInstances > 1,
            $"{browserInstances} instances used");
    }
}
