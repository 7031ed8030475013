using CommunityFunnel.Application.Orders;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

/// <summary>Partial refunds in the back office (one refund per dialog, however often Refund is pressed) and their history on both sides.</summary>
public sealed class RefundFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Operator_RefundsPartOfAnOrderOnce_EvenWithADoubleClick_AndBothSidesSeeTheRefunds()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group, "王小明");
        var orders = Database.Get<OrderService>();
        var order = TestData.Succeeded(await orders.RecordAsync(TestData.Admin,
            new OrderInput(member, group, await _data.ProductAsync(FunnelStage.Low, 33.33m), 3, null), Ct)).Id;
        TestData.Succeeded(await orders.PayAsync(TestData.Admin, order, Ct));
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await page.GotoAsync($"/members/{member}");
        await browser.WaitUntilInteractiveAsync();
        var dialog = page.Locator(".mud-dialog");

        await page.ClickAsync("[data-testid=refund-order]");
        await Expect(dialog.Locator("[data-testid=refundable]")).ToContainTextAsync("¥99.99");
        await dialog.Locator("[data-testid=refund-by-amount]").ClickAsync();
        await BrowserSession.Input(dialog, "refund-amount").FillAsync("10");
        await dialog.Locator("[data-testid=confirm-refund]").DblClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        await page.ClickAsync("[data-testid=refund-order]");
        await dialog.Locator("[data-testid=refund-by-units]").ClickAsync();
        await BrowserSession.Input(dialog, "refund-units").FillAsync("1");
        await dialog.Locator("[data-testid=confirm-refund]").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=refunded-amount]")).ToHaveTextAsync("43.33 CNY refunded");
        await Expect(page.Locator("[data-testid=total-paid]")).ToHaveTextAsync("56.66 CNY");

        await page.ClickAsync("[data-testid=order-details-button]");
        await Expect(dialog.Locator("[data-testid=refund-row]")).ToHaveCountAsync(2);
        await Expect(dialog.Locator("[data-testid=refunded-so-far]")).ToContainTextAsync("¥43.33 · 1 of 3 units");
        await Expect(dialog.Locator("[data-testid=refund-row]").First).ToContainTextAsync(PostgresFixture.AdminEmail);
        await browser.ScreenshotAsync("order-refunds");

        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.Equal([(10m, 0), (33.33m, 1)], await db.OrderRefunds.Where(r => r.OrderId == order).OrderBy(r => r.RefundedAt).ThenBy(r => r.Id)
                .Select(r => new ValueTuple<decimal, int>(r.Amount, r.Quantity)).ToListAsync(Ct));
        }

        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the link is made with the test clock and opened by the app, on the real one
        var token = await _data.PersonalLinkAsync(member);
        await using var phone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 });
        await phone.Page.GotoAsync($"/m/{token}");
        await Expect(phone.Page.Locator("[data-testid=order-refunded]")).ToContainTextAsync("¥43.33");
        await phone.Page.ClickAsync("[data-testid=order-link]");
        await Expect(phone.Page.Locator("[data-testid=refunded-amount]")).ToHaveTextAsync("¥43.33");
        await Expect(phone.Page.Locator("[data-testid=refund]")).ToHaveCountAsync(2);
        await Expect(phone.Page.Locator("[data-testid=order-status]")).ToHaveTextAsync("已付款，部分退款"); // the group's language
        await phone.ScreenshotAsync("member-order-refunds");
    }
}
