using System.Net;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.App;

/// <summary>Through the real socket: the test client is the "proxy" at 127.0.0.1, and names clients in X-Forwarded-For.</summary>
public sealed class ForwardedHeadersTests(PostgresFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task SignIn_IsRateLimitedPerForwardedClient_WhenTheProxyIsKnown()
    {
        await using var app = App(knownProxies: "127.0.0.1");

        var first = await SignInPageAsync(app, "203.0.113.10", times: 3);
        var second = await SignInPageAsync(app, "203.0.113.20", times: 1);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.OK], second); // a different client behind the same proxy has its own budget
    }

    [Fact]
    public async Task ForwardedFor_IsIgnored_FromAnAddressThatIsNotAKnownProxy()
    {
        await using var app = App(knownProxies: "10.0.0.1", knownNetworks: "192.168.0.0/16");

        var first = await SignInPageAsync(app, "203.0.113.10", times: 2);
        var second = await SignInPageAsync(app, "203.0.113.20", times: 1);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], first);
        Assert.Equal([HttpStatusCode.TooManyRequests], second); // the header chose nothing: one bucket for 127.0.0.1
    }

    [Fact]
    public async Task SignIn_IsRateLimitedPerForwardedClient_WhenTheProxyIsInAKnownNetwork()
    {
        await using var app = App(knownProxies: "", knownNetworks: "127.0.0.0/8");

        var first = await SignInPageAsync(app, "203.0.113.10", times: 3);
        var second = await SignInPageAsync(app, "203.0.113.20", times: 1);

        Assert.Equal(HttpStatusCode.TooManyRequests, first[^1]);
        Assert.Equal([HttpStatusCode.OK], second);
    }

    private CommunityFunnelAppFactory App(string knownProxies, string knownNetworks = "") =>
        new(Database.ConnectionString, new Dictionary<string, string?>
        {
            ["RateLimits:PublicPerMinute"] = "2",
            ["ForwardedHeaders:KnownProxies"] = knownProxies,
            ["ForwardedHeaders:KnownNetworks"] = knownNetworks,
        });

    private static async Task<List<HttpStatusCode>> SignInPageAsync(CommunityFunnelAppFactory app, string client, int times)
    {
        using var http = app.CookieClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
            request.Headers.Add("X-Forwarded-For", client);
            statuses.Add((await http.SendAsync(request, Ct)).StatusCode);
        }

        return statuses;
    }
}
