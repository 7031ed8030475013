using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

public sealed class SalesOfficeTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Operator_CreatesAFlashSale_SeeingABadStockNextToTheField_AndTheSaleInTheGroup()
    {
        var group = await _data.GroupAsync("Madrid Café", "EUR", "Europe/Madrid");
        await _data.ProductAsync(price: 14.9m, currency: "EUR");
        await _data.ProductAsync(price: 19.5m, currency: "EUR");
        await _data.OperatorAsync("op@test.local", group); // an operator of this group, not an admin

        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync("op@test.local", "operator-password-1");
        await page.GotoAsync($"/groups/{group}");
        await browser.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Sales" }).ClickAsync();
        await Expect(page.Locator("[data-testid=empty-row]")).ToHaveCountAsync(3); // each empty table says what would be there and how to start
        await page.ClickAsync("[data-testid=new-flash-sale]");
        var price = BrowserSession.Input(page.Locator(".mud-dialog"), "sale-price");
        await Expect(price).ToHaveValueAsync("14.9");
        await page.Locator(".mud-dialog .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "19.50 EUR" }).ClickAsync();
        await Expect(price).ToHaveValueAsync("19.5"); // the price follows the chosen product
        var stock = BrowserSession.Input(page.Locator(".mud-dialog"), "sale-stock");
        await stock.FillAsync("0");
        await page.ClickAsync("[data-testid=save-sale]");
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Stock must be between 1");
        await browser.ScreenshotAsync("flash-sale-dialog");

        await stock.FillAsync("20");
        await page.ClickAsync("[data-testid=save-sale]");

        await Expect(page.Locator("[data-testid=flash-sale-row]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=flash-sale-left]")).ToHaveTextAsync("20 / 20");
        await Expect(page.Locator("[data-testid=empty-row]")).ToHaveCountAsync(2);
        await browser.ScreenshotAsync("operator-sales-tab");
        await using var db = await Database.CreateDbContextAsync();
        var sale = await db.FlashSales.SingleAsync(Ct);
        Assert.Equal((20, 1, 19.5m), (sale.Stock, sale.PerMemberLimit, sale.Price));
    }

    [Fact]
    public async Task Operator_CreatesAFlashSaleForThreeGroups_SeeingOneGroupsBadPriceOnItsRow_ThenTheSalesAndTheirPostsOnTheTimeline()
    {
        var shanghai = await _data.GroupAsync("上海茶友会", "CNY", "Asia/Shanghai");
        var berlin = await _data.GroupAsync("Berlin Tee", "EUR", "Europe/Berlin");
        var newYork = await _data.GroupAsync("NYC Tea", "USD", "America/New_York");
        await _data.ProductAsync(price: 99m);
        await _data.ProductAsync(price: 12.9m, currency: "EUR");
        await _data.ProductAsync(price: 14.9m, currency: "USD");
        await _data.OperatorAsync("op@test.local", shanghai, berlin, newYork);

        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync("op@test.local", "operator-password-1");
        await page.GotoAsync("/sales/new");
        await browser.WaitUntilInteractiveAsync();
        await page.ClickAsync("[data-testid=all-groups]");
        var rows = page.Locator("[data-testid=bulk-group-row]");
        await Expect(rows).ToHaveCountAsync(3);
        await page.GetByText("Group-buy", new() { Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-testid=bulk-group-tier-price]")).ToHaveCountAsync(9); // three tiers in each group
        await browser.ScreenshotAsync("bulk-group-buy");
        await page.GetByText("Flash sale", new() { Exact = true }).ClickAsync();
        var berlinRow = rows.Filter(new() { HasText = "Berlin Tee" });
        await Expect(berlinRow).ToContainTextAsync("12.90 EUR"); // each group gets a product in its own currency
        await Expect(berlinRow).ToContainTextAsync("20:00 Europe/Berlin");
        var berlinPrice = BrowserSession.Input(berlinRow, "bulk-group-price");
        await berlinPrice.FillAsync("0");
        await page.ClickAsync("[data-testid=bulk-create]");

        await Expect(berlinRow).ToContainTextAsync("Price must be greater than zero");
        await Expect(page.Locator("[data-testid=form-error]")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("bulk-sale-group-error");
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.False(await db.FlashSales.AnyAsync(Ct)); // all or nothing
        }

        await berlinPrice.FillAsync("9.9");
        await page.ClickAsync("[data-testid=bulk-create]");

        await page.WaitForURLAsync("**/timeline");
        await Expect(page.Locator("[data-testid=timeline-sale]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid=timeline-post]")).ToHaveCountAsync(6); // a teaser an hour before and "live now", in each group
        await browser.ScreenshotAsync("timeline-with-sales");
        await using var verify = await Database.CreateDbContextAsync();
        var sales = await verify.FlashSales.OrderBy(s => s.StartsAt).ToListAsync(Ct);
        Assert.Equal(["CNY", "EUR", "USD"], sales.Select(s => s.Currency)); // 20:00 comes first in Shanghai, last in New York
        Assert.Equal((99m, 9.9m, 14.9m), (sales[0].Price, sales[1].Price, sales[2].Price)); // New York left empty: its own product's list price
        Assert.Equal(3, sales.Select(s => s.StartsAt).Distinct().Count());
    }

    [Fact]
    public async Task Operator_SeesAGroupBuyTierErrorOnTheTierRow_NotAsABanner()
    {
        var group = await _data.GroupAsync("Madrid Café", "EUR", "Europe/Madrid");
        await _data.ProductAsync(price: 14.9m, currency: "EUR");

        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await page.GotoAsync($"/groups/{group}");
        await browser.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Sales" }).ClickAsync();
        await page.ClickAsync("[data-testid=new-group-buy]");
        var tiers = page.Locator(".mud-dialog [data-testid=tier-row]");
        await Expect(tiers).ToHaveCountAsync(3);
        await BrowserSession.Input(tiers.Nth(1), "tier-price").FillAsync("95");
        await page.ClickAsync("[data-testid=save-group-buy]");

        await Expect(tiers.Nth(1)).ToContainTextAsync("Tier 2: the price must fall");
        await Expect(page.Locator(".mud-dialog [data-testid=form-error]")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("group-buy-tier-error");

        await BrowserSession.Input(tiers.Nth(1), "tier-price").FillAsync("85");
        await page.ClickAsync("[data-testid=save-group-buy]");
        await Expect(page.Locator("[data-testid=group-buy-row]")).ToHaveCountAsync(1);
    }
}
