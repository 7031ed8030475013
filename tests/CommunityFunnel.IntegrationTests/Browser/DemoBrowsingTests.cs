using CommunityFunnel.Application.Demo;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

public sealed class DemoBrowsingTests(PostgresFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task DemoData_IsBrowsableOnAPhone_InChinese_ByTheDemoOperator()
    {
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app runs on the real clock: seed "the last 90 days" from today
        await Database.Get<DemoDataSeeder>().SeedIfEmptyAsync(Ct);
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 }, "zh-CN");
        var page = browser.Page;

        await browser.SignInAsync(DemoDataSeeder.OperatorEmail, DemoDataSeeder.OperatorPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "看板" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=funnel-Free] .funnel-bar")).Not.ToHaveTextAsync("0");
        await Expect(page.Locator("[data-testid=revenue-CNY-Low]")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("phone-dashboard-zh");

        await page.GotoAsync("/groups");
        await browser.WaitUntilInteractiveAsync();
        await Expect(page.Locator("[data-testid=group-link]")).ToHaveCountAsync(2); // the operator runs two of the three groups
        await browser.ScreenshotAsync("phone-groups-zh");

        await page.Locator("[data-testid=group-link]", new() { HasText = "Madrid" }).ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "成员" }).ClickAsync();
        await Expect(page.Locator("[data-testid=member-link]")).ToHaveCountAsync(25);
        await BrowserSession.Input(page.Locator("body"), "member-search").FillAsync("García");
        await Expect(page.Locator("[data-testid=member-link]").First).ToContainTextAsync("García");
        await browser.ScreenshotAsync("phone-members-zh");
    }
}
