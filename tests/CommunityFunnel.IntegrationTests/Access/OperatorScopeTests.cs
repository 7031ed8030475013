using System.Net;
using System.Net.Http.Json;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Settings;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommunityFunnel.IntegrationTests.Infrastructure.TestData;

namespace CommunityFunnel.IntegrationTests.Access;

/// <summary>What an operator without groups sees, and the admin setting that lets operators create groups.</summary>
public sealed class OperatorScopeTests(PostgresFixture database) : DatabaseTest(database)
{
    private static readonly GroupInput NewGroup = new("Night owls", ChatPlatform.Telegram, "Europe/Berlin", "EUR", null, null, null);
    private readonly TestData _data = new(database);

    [Fact]
    public async Task CreateGroup_IsForAdminsOnly_UntilAnAdminAllowsOperators()
    {
        var op = await _data.OperatorAsync("op@test.local");
        var groups = Database.Get<GroupService>();
        var settings = Database.Get<AppSettingsService>();

        Assert.Equal("group_creation_not_allowed", (await groups.CreateAsync(op, NewGroup, Ct)).Failure?.Code);
        Assert.Equal("forbidden", (await settings.SetOperatorsMayCreateGroupsAsync(op, allowed: true, Ct)).Failure?.Code);
        Assert.False((await settings.GetAsync(Ct)).OperatorsMayCreateGroups);

        Succeeded(await settings.SetOperatorsMayCreateGroupsAsync(Admin, allowed: true, Ct));
        var created = Succeeded(await groups.CreateAsync(op, NewGroup, Ct));

        Assert.Equal([created], (await groups.ListAsync(op, null, includeArchived: false, Ct)).Select(g => g.Id));
        await using var db = await Database.CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "settings.changed" && e.Details == "on", Ct));

        Succeeded(await settings.SetOperatorsMayCreateGroupsAsync(Admin, allowed: false, Ct));
        Assert.Equal("group_creation_not_allowed", (await groups.CreateAsync(op, NewGroup, Ct)).Failure?.Code);
    }

    [Fact]
    public async Task CreateGroup_OverTheApi_Is403ForAnOperatorKey_ByDefault()
    {
        var op = await _data.OperatorAsync("op@test.local");
        var key = Succeeded(await Database.Get<Application.Access.ApiKeyService>().CreateForUserAsync(Admin, op.Id, "Zapier", Ct));

        var response = await Database.App.ApiClient(key.Secret).PostAsJsonAsync("/api/v1/groups", new { name = "Mine", timeZone = "Europe/Berlin", currency = "EUR" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/groups")]
    [InlineData("/timeline")]
    [InlineData("/to-send")]
    [InlineData("/events/new")]
    [InlineData("/posts/new")]
    public async Task AnOperatorWithNoGroups_SeesAnEmptyPage_WithoutErrorsOrOtherGroupsData(string path)
    {
        var group = await _data.GroupAsync("Secret tea club");
        await _data.MemberAsync(group, "Hidden member");
        await _data.FlashSaleAsync(group);
        await _data.OperatorAsync("op@test.local");
        var browser = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, "op@test.local", "operator-password-1");

        var response = await browser.GetAsync(path, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("Secret tea club", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Hidden member", html, StringComparison.Ordinal);
        Assert.DoesNotContain("new-group", html, StringComparison.Ordinal);
    }
}
