using System.Diagnostics;
using System.Net;
using CommunityFunnel.Application.Access;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CommunityFunnel.IntegrationTests.Infrastructure.TestData;

namespace CommunityFunnel.IntegrationTests.Access;

/// <summary>Disabling, re-enabling and role changes: who can still sign in, and how fast old sessions and keys stop.</summary>
public sealed class UserLifecycleTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string OperatorPassword = "operator-password-1";
    private readonly TestData _data = new(database);

    private UserAdminService Users => Database.Get<UserAdminService>();

    [Fact]
    public async Task Disable_EndsTheCookieAndApiKeyAtOnce_OnTheInstanceThatDisabled_AndSignInIsRefused()
    {
        var op = await _data.OperatorAsync("op@test.local");
        var key = Succeeded(await Database.Get<ApiKeyService>().CreateForUserAsync(Admin, op.Id, "Zapier", Ct));
        var browser = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, "op@test.local", OperatorPassword);
        var api = Database.App.ApiClient(key.Secret);
        await AccountForms.AssertSignedInAsync(browser);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/groups", Ct)).StatusCode);

        var disabled = await Database.App.ApiClient().PostAsync($"/api/v1/users/{op.Id}/disable", null, Ct);

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        await AccountForms.AssertSignedOutAsync(browser);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/groups", Ct)).StatusCode);
        var again = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(again, "op@test.local", OperatorPassword);
        await AccountForms.AssertSignedOutAsync(again);

        Assert.Equal(HttpStatusCode.OK, (await Database.App.ApiClient().PostAsync($"/api/v1/users/{op.Id}/enable", null, Ct)).StatusCode);
        await CommunityFunnelAppFactory.SignInAsync(again, "op@test.local", OperatorPassword);
        await AccountForms.AssertSignedInAsync(again);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/groups", Ct)).StatusCode);
    }

    [Fact]
    public async Task Disable_EndsTheCookieAndApiKeyOnAnotherInstance_WithinItsCheckInterval()
    {
        await using var other = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Security:SessionCheckInterval"] = "00:00:02" });
        var op = await _data.OperatorAsync("op@test.local");
        var key = Succeeded(await Database.Get<ApiKeyService>().CreateForUserAsync(Admin, op.Id, "Zapier", Ct));
        var browser = other.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, "op@test.local", OperatorPassword);
        var api = other.ApiClient(key.Secret);
        await AccountForms.AssertSignedInAsync(browser);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/groups", Ct)).StatusCode);

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await Database.App.ApiClient().PostAsync($"/api/v1/users/{op.Id}/disable", null, Ct)).StatusCode);

        await WaitUntilAsync(async () => (await browser.GetAsync("/account/password", Ct)).StatusCode == HttpStatusCode.Redirect);
        var cookieEnded = clock.Elapsed;
        await WaitUntilAsync(async () => (await api.GetAsync("/api/v1/groups", Ct)).StatusCode == HttpStatusCode.Unauthorized);
        var keyEnded = clock.Elapsed;

        Assert.True(cookieEnded < TimeSpan.FromSeconds(2 + 3), $"the cookie still worked {cookieEnded} after the disable");
        Assert.True(keyEnded < ApiKeyService.KnownKeyMemory + TimeSpan.FromSeconds(3), $"the key still worked {keyEnded} after the disable");
    }

    [Fact]
    public async Task DisableAndDemote_AreRefused_ForYourselfAndForTheLastEnabledAdmin()
    {
        var adminId = await UserIdAsync(PostgresFixture.AdminEmail);
        var self = new Actor(adminId, PostgresFixture.AdminEmail, IsAdmin: true);

        Assert.Equal("cannot_disable_self", (await Users.DisableAsync(self, adminId, Ct)).Failure?.Code);
        Assert.Equal("last_admin", (await Users.DisableAsync(Admin, adminId, Ct)).Failure?.Code);
        Assert.Equal("last_admin", (await Users.ChangeRoleAsync(Admin, adminId, Roles.Operator, Ct)).Failure?.Code);

        var second = Succeeded(await Users.CreateAsync(Admin, new UserInput("second@test.local", null, "second-admin-password", Roles.Admin), Ct)).Id;
        Succeeded(await Users.ChangeRoleAsync(Admin, adminId, Roles.Operator, Ct));
        Assert.Equal("last_admin", (await Users.DisableAsync(Admin, second, Ct)).Failure?.Code);
        var rows = Succeeded(await Users.ListAsync(Admin, Ct));
        Assert.Equal(Roles.Admin, Assert.Single(rows, r => !r.IsDisabled && r.Role == Roles.Admin).Role);
    }

    [Fact]
    public async Task TwoAdminsDisablingEachOtherAtOnce_LeaveOneEnabledAdmin()
    {
        var first = await UserIdAsync(PostgresFixture.AdminEmail);
        var second = Succeeded(await Users.CreateAsync(Admin, new UserInput("second@test.local", null, "second-admin-password", Roles.Admin), Ct)).Id;

        var results = await Task.WhenAll(
            Users.DisableAsync(new Actor(first, "first", IsAdmin: true), second, Ct),
            Users.DisableAsync(new Actor(second, "second", IsAdmin: true), first, Ct));

        Assert.Single(results, r => r.Succeeded);
        Assert.Single(results, r => r.Failure?.Code == "last_admin");
    }

    [Fact]
    public async Task ChangeRole_IsAudited_EndsTheSession_AndTheUsersKeyActsWithTheNewRole()
    {
        var op = await _data.OperatorAsync("op@test.local");
        var app = Database.App.Services;
        var keys = app.GetRequiredService<ApiKeyService>();
        var key = Succeeded(await keys.CreateForUserAsync(Admin, op.Id, "Zapier", Ct));
        var browser = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, "op@test.local", OperatorPassword);
        Assert.Equal(Roles.Operator, (await keys.AuthenticateAsync(key.Secret, Ct))!.Role);

        Succeeded(await app.GetRequiredService<UserAdminService>().ChangeRoleAsync(Admin, op.Id, Roles.Admin, Ct));

        Assert.Equal(Roles.Admin, (await keys.AuthenticateAsync(key.Secret, Ct))!.Role);
        await AccountForms.AssertSignedOutAsync(browser);
        await using var db = await Database.CreateDbContextAsync();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == "user.role-changed", Ct);
        Assert.Equal(("op@test.local", "Operator -> Admin", Admin.Name), (entry.Subject, entry.Details, entry.Actor));
    }

    [Fact]
    public async Task Disable_IsAudited_AndShownInTheList()
    {
        var op = await _data.OperatorAsync("op@test.local");

        Succeeded(await Users.DisableAsync(Admin, op.Id, Ct));
        Succeeded(await Users.DisableAsync(Admin, op.Id, Ct)); // again: nothing more happens

        Assert.True(Succeeded(await Users.GetAsync(Admin, op.Id, Ct)).IsDisabled);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "user.disabled" && e.Subject == "op@test.local", Ct));
        Assert.Equal("forbidden", (await Users.DisableAsync(op, op.Id, Ct)).Failure?.Code);
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < SessionRevocations.MaxCheckInterval, "still working after the longest check interval");
            await Task.Delay(200, Ct);
        }
    }

    [Fact]
    public async Task Unlock_LiftsALockout_IsAudited_AndIsForAdminsOnly()
    {
        var op = await _data.OperatorAsync("op@test.local");
        await using (var db = await Database.CreateDbContextAsync())
        {
            await db.Users.Where(u => u.Id == op.Id).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddMinutes(15))
                .SetProperty(u => u.AccessFailedCount, 5), Ct);
        }

        var byOperator = await Users.UnlockAsync(op, op.Id, Ct);
        var unknown = await Users.UnlockAsync(Admin, "no-such-user", Ct);
        Succeeded(await Users.UnlockAsync(Admin, op.Id, Ct));

        Assert.Equal(("forbidden", "not_found"), (byOperator.Failure!.Code, unknown.Failure!.Code));
        await using var check = await Database.CreateDbContextAsync();
        var user = await check.Users.SingleAsync(u => u.Id == op.Id, Ct);
        Assert.Equal((null, 0), (user.LockoutEnd, user.AccessFailedCount));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "user.unlocked", Ct));
        var browser = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, "op@test.local", OperatorPassword);
        await AccountForms.AssertSignedInAsync(browser);
    }
}
