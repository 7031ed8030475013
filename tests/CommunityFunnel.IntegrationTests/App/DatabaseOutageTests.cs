using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.App;

/// <summary>PostgreSQL really stopped (fast shutdown) under a running app, then started again.</summary>
public sealed class DatabaseOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_Answer503WithRetryAfter_WhilePostgresIsDown_AndSucceedWithin10s_OnceItIsBack()
    {
        await using var postgres = await ThrowawayPostgres.StartAsync();
        await using var app = new CommunityFunnelAppFactory(postgres.ConnectionString);
        using var api = app.ApiClient();
        using var browser = app.CookieClient();
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml");
        var created = await api.PostAsJsonAsync("/api/v1/groups", new { name = "Tea lovers", timeZone = "Asia/Shanghai", currency = "CNY" }, Ct);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var joinCode = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{id}", Ct)).GetProperty("joinCode").GetString();
        var joinPage = $"/join/{joinCode}";
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(joinPage, Ct)).StatusCode);

        await postgres.StopAsync();

        var apiCall = await api.GetAsync("/api/v1/groups", Ct);
        var memberPage = await browser.GetAsync(joinPage, Ct);
        var ready = await browser.GetAsync("/health/ready", Ct);
        var today = await api.GetAsync("/api/v1/today", Ct);
        var salePage = await browser.GetAsync($"/me/flash-sales/{Guid.NewGuid()}", Ct);
        string[] benefitSharing = ["/api/v1/commission-plans", $"/api/v1/members/{Guid.NewGuid()}/rebates", "/api/v1/payouts",
            $"/api/v1/groups/{id}/promotion-day", "/api/v1/webhooks"];
        var sharingAnswers = await Task.WhenAll(benefitSharing.Select(url => api.GetAsync(url, Ct)));
        var wave = Guid.NewGuid();
        HttpResponseMessage[] firstHourAnswers =
        [
            await api.GetAsync($"/api/v1/red-envelope-waves/{wave}", Ct),
            await api.PostAsJsonAsync($"/api/v1/red-envelope-waves/{wave}/claims", new { memberId = Guid.NewGuid() }, Ct),
            await api.PostAsJsonAsync("/api/v1/red-envelope-rains", new { groupIds = new[] { id }, startsAt = DateTimeOffset.UtcNow, waves = new[] { new { budget = 10, packets = 5 } } }, Ct),
            await api.GetAsync($"/api/v1/members/{Guid.NewGuid()}/wallet", Ct),
        ];

        Assert.Equal(HttpStatusCode.ServiceUnavailable, apiCall.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), apiCall.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", apiCall.Content.Headers.ContentType?.MediaType);
        Assert.Equal("database_unavailable", (await apiCall.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, memberPage.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), memberPage.Headers.RetryAfter?.Delta);
        var page = await memberPage.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Back in a moment", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page, StringComparison.Ordinal); // no stack trace, no driver message
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (today.StatusCode, salePage.StatusCode));
        Assert.All(firstHourAnswers, answer => Assert.Equal((HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5)), (answer.StatusCode, answer.Headers.RetryAfter?.Delta)));
        Assert.All(sharingAnswers, answer => Assert.Equal((HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5)), (answer.StatusCode, answer.Headers.RetryAfter?.Delta)));

        await postgres.StartAgainAsync();
        var back = Stopwatch.StartNew();
        while ((await api.GetAsync("/api/v1/groups", Ct)).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(back.Elapsed < TimeSpan.FromSeconds(10), "the API still failed 10 s after PostgreSQL was back");
            await Task.Delay(200, Ct);
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(joinPage, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/health/ready", Ct)).StatusCode);
    }
}
