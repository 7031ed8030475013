using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Api;

public sealed class RateLimitTests(PostgresFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task Api_Answers429WithRetryAfter_OnceAKeyExceedsItsLimit()
    {
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["RateLimits:ApiPerMinute"] = "3" });
        var client = app.ApiClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await client.GetAsync("/api/v1/groups", Ct);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("rate_limited", (await last.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task SignInPage_IsRateLimitedPerAddress()
    {
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["RateLimits:PublicPerMinute"] = "2" });
        using var client = app.CookieClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.GetAsync("/login", Ct)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
