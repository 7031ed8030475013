using System.Globalization;
using CommunityFunnel.Application.Promotions;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

/// <summary>An operator sets, changes and removes the group's promotion day from the group's overview, in a real browser.</summary>
public sealed class PromotionDayCardTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Operator_SetsThePromotionDay_SeesWhatIsWrongNextToTheField_AndRemovesIt()
    {
        var group = await _data.GroupAsync("Tea lovers");
        var gift = await _data.ProductAsync(FunnelStage.Low, 29.9m);
        await _data.ProductAsync(FunnelStage.Low, 9.9m, "EUR"); // another currency: not offered as the gift
        await _data.OperatorAsync("op@test.local", group);
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync("op@test.local", "operator-password-1");
        await page.GotoAsync($"/groups/{group}");
        await browser.WaitUntilInteractiveAsync();
        var card = page.Locator("[data-testid=promotion-day-card]");
        await Expect(card.Locator("[data-testid=promotion-day-none]")).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("in shorter months, the last day");
        await ScreenshotAsync(browser, "promotion-day-empty");

        await BrowserSession.Input(card, "promotion-day-of-month").FillAsync("32");
        await BrowserSession.Input(card, "promotion-day-multiplier-input").FillAsync("11");
        await card.Locator("[data-testid=save-promotion-day]").ClickAsync();
        await Expect(card.Locator(".mud-input-control", new() { Has = page.Locator("input[data-testid=promotion-day-of-month]") }))
            .ToContainTextAsync("The day of the month must be from 1 to 31");
        await Expect(card.Locator(".mud-input-control", new() { Has = page.Locator("input[data-testid=promotion-day-multiplier-input]") }))
            .ToContainTextAsync("The multiplier must be from 1 to 10");
        await ScreenshotAsync(browser, "promotion-day-error");
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.False(await db.PromotionDays.AnyAsync(Ct));
        }

        await BrowserSession.Input(card, "promotion-day-of-month").FillAsync("31");
        await BrowserSession.Input(card, "promotion-day-multiplier-input").FillAsync("2.5");
        await card.Locator(".mud-select").First.ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(2); // no gift, or the CNY product
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Low 29.9" }).ClickAsync();
        await Expect(card.Locator(".mud-select").First).ToContainTextAsync("Low 29.9 · ¥29.90"); // the choice has reached the form
        await card.Locator("[data-testid=save-promotion-day]").ClickAsync();

        await Expect(card.Locator("[data-testid=promotion-day-day]")).ToHaveTextAsync("Day 31 of every month (in shorter months: the last day)");
        await Expect(card.Locator("[data-testid=promotion-day-multiplier]")).ToHaveTextAsync("Rebates x2.5");
        await Expect(card.Locator("[data-testid=promotion-day-gift]")).ToHaveTextAsync("Low 29.9");
        var saved = TestData.Succeeded(await Database.Get<PromotionDayService>().GetAsync(TestData.Admin, group, Ct))!;
        Assert.Equal((31, 2.5m, gift), (saved.DayOfMonth, saved.Multiplier, saved.GiftProductId));
        await Expect(card.Locator("[data-testid=promotion-day-next]")).ToContainTextAsync(saved.NextDate!.Value.ToString("ddd yyyy-MM-dd", CultureInfo.GetCultureInfo("en-US")));
        await Expect(card.Locator("[data-testid=promotion-day-event]")).ToHaveAttributeAsync("href", $"/announcements/{saved.NextEventId}");
        await ScreenshotAsync(browser, "promotion-day-filled");

        await card.Locator("[data-testid=remove-promotion-day]").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(card.Locator("[data-testid=promotion-day-none]")).ToBeVisibleAsync();
        Assert.Null(TestData.Succeeded(await Database.Get<PromotionDayService>().GetAsync(TestData.Admin, group, Ct)));
    }

    /// <summary>From the top: a full-page picture taken scrolled down draws the fixed app bar across the middle.</summary>
    private static async Task ScreenshotAsync(BrowserSession browser, string name)
    {
        await browser.Page.EvaluateAsync("window.scrollTo(0, 0)");
        await browser.ScreenshotAsync(name);
    }
}
