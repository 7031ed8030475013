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

    [Fact]
    public async Task MemberPages_AreRateLimited_PerMemberSession_NotPerAddress()
    {
        var group = await new TestData(Database).GroupAsync();
        var members = await new TestData(Database).MembersAsync(group, 2);
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["RateLimits:MemberPerMinute"] = "3" });

        async Task<List<HttpStatusCode>> BrowseAsync(Guid member)
        {
            using var phone = app.CookieClient();
            var token = await new TestData(Database).PersonalLinkAsync(member);
            var statuses = new List<HttpStatusCode> { (await phone.GetAsync($"/m/{token}", Ct)).StatusCode };
            for (var i = 0; i < 4; i++)
            {
                statuses.Add((await phone.GetAsync("/me", Ct)).StatusCode);
            }

            return statuses;
        }

        // Both phones share 127.0.0.1, as members behind one carrier NAT do; each has its own budget once signed in.
        var first = await BrowseAsync(members[0]);
        var second = await BrowseAsync(members[1]);

        Assert.Equal([HttpStatusCode.Found, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.OK, second[1]);
    }
}
