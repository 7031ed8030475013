using CommunityFunnel.Application.Settings;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

/// <summary>What an operator does in a real browser, end to end, against the real app and database.</summary>
public sealed class OperatorFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Operator_CreatesAGroup_AddsAMember_RecordsAPaidOrder_AndSeesTheStageRise()
    {
        await _data.ProductAsync(FunnelStage.Low, 29.9m);
        await _data.OperatorAsync("op@test.local");
        TestData.Succeeded(await Database.Get<AppSettingsService>().SetOperatorsMayCreateGroupsAsync(TestData.Admin, allowed: true, Ct));
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;

        await browser.SignInAsync("op@test.local", "operator-password-1");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();

        await page.GotoAsync("/groups");
        await browser.WaitUntilInteractiveAsync();
        await page.ClickAsync("[data-testid=new-group]");
        await page.GetByLabel("Name").FillAsync("上海茶友会 🍵");
        await page.ClickAsync("[data-testid=save-group]");
        await Expect(page.Locator("[data-testid=group-title]")).ToHaveTextAsync("上海茶友会 🍵");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Members" }).ClickAsync();
        await page.ClickAsync("[data-testid=add-member]");
        await page.GetByLabel("Display name").FillAsync("王小明");
        await page.GetByLabel("Phone").FillAsync("not a phone");
        await page.ClickAsync("[data-testid=save-member]");
        await Expect(page.GetByText("is not a valid phone number in China (CN, +86)")).ToBeVisibleAsync(); // the field says what is wrong
        await page.GetByLabel("Phone").FillAsync("138 0013 8000");
        await page.ClickAsync("[data-testid=save-member]");
        await page.Locator("[data-testid=member-link]", new() { HasText = "王小明" }).ClickAsync();

        await Expect(page.Locator("[data-testid=member-title]")).ToHaveTextAsync("王小明");
        await Expect(page.Locator("[data-testid=member-stage]")).ToHaveTextAsync("Free");
        await browser.WaitUntilInteractiveAsync(); // a click on the prerendered page before the circuit is up does nothing
        await page.ClickAsync("[data-testid=record-order]");
        await page.ClickAsync("[data-testid=save-order]");
        await Expect(page.Locator("[data-testid=member-stage]")).ToHaveTextAsync("Low");
        await Expect(page.Locator("[data-testid=total-paid]")).ToHaveTextAsync("29.90 CNY");
        await browser.ScreenshotAsync("member-after-paid-order");

        await page.GotoAsync("/");
        await browser.WaitUntilInteractiveAsync();
        await Expect(page.Locator("[data-testid=funnel-Low] .funnel-bar")).ToHaveTextAsync("1");
        await browser.ScreenshotAsync("dashboard");
    }

    [Fact]
    public async Task Admin_SeesALadderOverlapNextToTheField_AndNothingIsSaved()
    {
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);

        await page.GotoAsync("/admin/pricing");
        await browser.WaitUntilInteractiveAsync();
        var cny = page.Locator("[data-testid=ladder-CNY]");
        await BrowserSession.Input(cny, "mid-min").FillAsync("90");
        await page.ClickAsync("[data-testid=save-ladder-CNY]");

        await Expect(cny.GetByText("overlaps the Low band")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("ladder-overlap");
        var saved = (await Database.Get<Application.Pricing.PricingService>().FindLadderAsync("CNY", Ct))!;
        Assert.Equal(100m, saved.BandFor(FunnelStage.Mid).MinPrice);
    }
}
