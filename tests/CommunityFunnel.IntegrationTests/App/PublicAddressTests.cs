using System.Net;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.App;

public sealed class PublicAddressTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Theory]
    [InlineData("Production", null, "App:PublicBaseUrl is required outside Development")]
    [InlineData("Production", "shop.example.com", "must be an absolute http(s) address")]
    [InlineData("Testing", "ftp://shop.example.com", "must be an absolute http(s) address")]
    public void StartUp_Fails_WithAClearMessage_WhenThePublicAddressIsMissingOrWrong(string environment, string? publicBaseUrl, string message)
    {
        var failure = Record.Exception(() => new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?>
        {
            ["environment"] = environment,
            ["App:PublicBaseUrl"] = publicBaseUrl,
        }).Dispose());

        Assert.NotNull(failure);
        Assert.Contains(message, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_ForAnotherHost_AreRefused()
    {
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?>
        {
            ["App:PublicBaseUrl"] = "https://shop.example",
            ["App:AdditionalHosts"] = "probe.internal",
        });
        using var client = app.CookieClient();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/live", host: "shop.example")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/live", host: "probe.internal")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(client, "/health/live", host: "attacker.example")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/health/live", Ct)).StatusCode); // 127.0.0.1 is not ours either
    }

    [Fact]
    public async Task PlainHttp_IsRedirectedToThePublicHttpsAddress()
    {
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["App:PublicBaseUrl"] = "https://shop.example" });
        using var client = app.CookieClient();

        var response = await GetAsync(client, "/login?ReturnUrl=%2Fgroups", host: "shop.example");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https://shop.example/login?ReturnUrl=%2Fgroups", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task ReferralLink_IsOnThePublicAddress_NotOnTheHostTheRequestCameIn()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        var joinCode = TestData.Succeeded(await Database.Get<GroupService>().GetAsync(TestData.Admin, group, Ct)).JoinCode;
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app runs on the real clock: the link must be fresh
        var token = await new TestData(Database).PersonalLinkAsync(member);
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?>
        {
            ["App:PublicBaseUrl"] = "http://shop.example:8080/",
            ["App:AdditionalHosts"] = "127.0.0.1",
        });
        using var phone = app.CookieClient();

        await phone.GetAsync($"/m/{token}", Ct);
        var home = await phone.GetStringAsync("/me", Ct);

        Assert.Contains($"http://shop.example:8080/join/{joinCode}?ref=", home, StringComparison.Ordinal);
        Assert.DoesNotContain("http://127.0.0.1", home, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        return await client.SendAsync(request, Ct);
    }
}
