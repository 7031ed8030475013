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
}
