using System.Text.RegularExpressions;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

/// <summary>Account lifecycle in real browsers: an admin disables and resets, a person changes their own password.</summary>
public sealed partial class AccountFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string Operator = "op@test.local";
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Admin_DisablesAnOperator_WhoseOpenPageSignsOutAtOnce_ThenSendsAResetLink_ThatSetsANewPassword()
    {
        await _data.OperatorAsync(Operator);
        await using var operatorBrowser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        await operatorBrowser.SignInAsync(Operator, "operator-password-1");
        await Expect(operatorBrowser.Page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();

        await using var adminBrowser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var admin = adminBrowser.Page;
        await adminBrowser.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await admin.GotoAsync("/admin/users");
        await adminBrowser.WaitUntilInteractiveAsync();
        await ChooseActionAsync(admin, "disable-user");
        await Expect(admin.Locator($"[data-testid='user-{Operator}'] [data-testid=disabled-chip]")).ToBeVisibleAsync();

        // The operator did nothing: their open page is signed out by the server.
        await Expect(operatorBrowser.Page).ToHaveURLAsync(LoginUrl());

        await ChooseActionAsync(admin, "enable-user");
        await Expect(admin.Locator($"[data-testid='user-{Operator}'] [data-testid=disabled-chip]")).ToHaveCountAsync(0); // re-rendered: the menu opens on the new row
        await ChooseActionAsync(admin, "reset-password");
        var link = await BrowserSession.Input(admin.Locator("body"), "setup-link").InputValueAsync();
        await adminBrowser.ScreenshotAsync("users-setup-link");

        await operatorBrowser.Page.GotoAsync(link);
        await operatorBrowser.Page.FillAsync("#new", "my-own-new-password");
        await operatorBrowser.Page.FillAsync("#confirm", "my-own-new-password");
        await operatorBrowser.Page.ClickAsync("button[type=submit]");
        await Expect(operatorBrowser.Page.Locator("[data-testid=password-set]")).ToBeVisibleAsync();
        await operatorBrowser.SignInAsync(Operator, "my-own-new-password");
        await Expect(operatorBrowser.Page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DisablingOnOneInstance_SignsOutAnOpenPageOnAnother_WithinItsCheckInterval()
    {
        var op = await _data.OperatorAsync(Operator);
        await using var other = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Security:SessionCheckInterval"] = "00:00:02" });
        await using var operatorBrowser = await BrowserSession.StartAsync(other.BaseAddress);
        await operatorBrowser.SignInAsync(Operator, "operator-password-1");
        await Expect(operatorBrowser.Page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();

        var disabled = await Database.App.ApiClient().PostAsync($"/api/v1/users/{op.Id}/disable", null, Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, disabled.StatusCode);
        await Expect(operatorBrowser.Page).ToHaveURLAsync(LoginUrl(), new() { Timeout = 10_000 }); // 2 s interval, and slack for a busy machine
    }

    [Fact]
    public async Task Operator_ChangesTheirPassword_FromTheAccountButton()
    {
        await _data.OperatorAsync(Operator);
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(Operator, "operator-password-1");

        await page.ClickAsync("[data-testid=your-account]");
        await page.FillAsync("#current", "operator-password-1");
        await page.FillAsync("#new", "a-better-password-2");
        await page.FillAsync("#confirm", "a-better-password-2");
        await page.ClickAsync("button[type=submit]");

        await Expect(page.Locator("[data-testid=password-changed]")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await browser.WaitUntilInteractiveAsync(); // still signed in, with the new cookie
        await page.GotoAsync("/login");
        await page.FillAsync("#email", Operator);
        await page.FillAsync("#password", "operator-password-1");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("[data-testid=login-error]")).ToBeVisibleAsync();
    }

    private static async Task ChooseActionAsync(IPage admin, string action)
    {
        await admin.Locator($"[data-testid='actions-{Operator}'] button").First.ClickAsync();
        await admin.Locator($"[data-testid={action}]").ClickAsync();
    }

    [GeneratedRegex("/login")]
    private static partial Regex LoginUrl();
}
