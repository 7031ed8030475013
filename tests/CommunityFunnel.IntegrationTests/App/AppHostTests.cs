using System.Diagnostics;
using System.Net;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.IntegrationTests.App;

public sealed class AppHostTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Health_IsLiveAndReady_WithDatabaseAndHangfireStorage()
    {
        using var client = Database.App.CookieClient();

        var live = await client.GetAsync("/health/live", Ct);
        var ready = await client.GetAsync("/health/ready", Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (live.StatusCode, ready.StatusCode));
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Hangfire_StartsAnEnqueuedJob_WithinAboutASecond()
    {
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Hangfire:RunServer"] = "true" });
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // let the server announce itself and its workers start polling
        ProbeJob.Reset();

        var clock = Stopwatch.StartNew();
        app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => ProbeJob.Run());
        await ProbeJob.Ran.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        // Hangfire.PostgreSql's default 15 s queue poll would fail this; ours polls every second.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the job started after {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task HangfireDashboard_IsForAdminsOnly()
    {
        await _data.OperatorAsync("op@test.local");
        using var anonymous = Database.App.CookieClient();
        using var op = Database.App.CookieClient();
        using var admin = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(op, "op@test.local", "operator-password-1");
        await CommunityFunnelAppFactory.SignInAsync(admin, PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);

        var anonymousResponse = await anonymous.GetAsync("/admin/jobs", Ct);
        Assert.Equal(HttpStatusCode.Redirect, anonymousResponse.StatusCode);
        Assert.StartsWith("/login", anonymousResponse.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await op.GetAsync("/admin/jobs", Ct)).StatusCode); // to /access-denied
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/jobs", Ct)).StatusCode);
    }

    [Fact]
    public async Task Pages_RedirectToSignIn_AndAdminPagesAreRefusedToOperators()
    {
        await _data.OperatorAsync("op@test.local");
        using var anonymous = Database.App.CookieClient();
        using var op = Database.App.CookieClient();
        var signedIn = await CommunityFunnelAppFactory.SignInAsync(op, "op@test.local", "operator-password-1");

        var groups = await anonymous.GetAsync("/groups", Ct);
        Assert.Equal(HttpStatusCode.Redirect, groups.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Fgroups", groups.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/groups", Ct)).StatusCode);
        var pricing = await op.GetAsync("/admin/pricing", Ct);
        Assert.Equal(HttpStatusCode.Redirect, pricing.StatusCode);
        Assert.StartsWith("/access-denied", pricing.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_LocksTheAccount_AfterFiveWrongPasswords()
    {
        using var client = Database.App.CookieClient();
        for (var i = 1; i <= 5; i++)
        {
            var wrong = await CommunityFunnelAppFactory.SignInAsync(client, PostgresFixture.AdminEmail, "not-the-password-" + i);
            Assert.Contains(i < 5 ? "Wrong email or password." : "locked", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var right = await CommunityFunnelAppFactory.SignInAsync(client, PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode); // no redirect: not signed in
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberExport_StreamsCsvToStaff_AndRefusesOtherGroupsOperators()
    {
        var mine = await _data.GroupAsync("Mine");
        var theirs = await _data.GroupAsync("Theirs");
        await _data.MemberAsync(theirs, "=cmd|' /C calc'!A0", "13800138000");
        await _data.OperatorAsync("op@test.local", mine);
        using var admin = Database.App.CookieClient();
        using var op = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(admin, PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await CommunityFunnelAppFactory.SignInAsync(op, "op@test.local", "operator-password-1");

        var csv = await admin.GetAsync($"/groups/{theirs}/members.csv", Ct);
        var refused = await op.GetAsync($"/groups/{theirs}/members.csv", Ct);

        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'=cmd|", await csv.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}

public static class ProbeJob
{
    public static TaskCompletionSource Ran { get; private set; } = new();

    public static void Reset() => Ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Run() => Ran.TrySetResult();
}
