using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

/// <summary>
/// The path a sale link takes: tapped in the group on a phone with no session, sign in by code, claim, see how to pay,
/// "I have paid"; the operator confirms it from Today, and the member's order shows it paid.
/// </summary>
public sealed class SharedSaleLinkFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task AVisitorTapsASaleLink_SignsInByCode_Claims_ReportsPaying_AndTheOperatorConfirmsFromToday()
    {
        var group = await _data.GroupAsync("Berlin Tee", "EUR", "Europe/Berlin");
        await _data.MemberAsync(group, "Ada", phone: "+49 151 23456789");
        var product = await _data.ProductAsync(FunnelStage.Low, 19.9m, "EUR");
        TestData.Succeeded(await Database.Get<Application.Pricing.ProductPictures>().AddAsync(TestData.Admin, product, new MemoryStream(TestPictures.Png(800, 800)), Ct));
        TestData.Succeeded(await Database.Get<Application.Pricing.ProductPictures>().AddAsync(TestData.Admin, product, new MemoryStream(TestPictures.Png(600, 400)), Ct));
        var payments = Database.Get<Application.Payments.PaymentInstructions>();
        TestData.Succeeded(await payments.SetTextAsync(TestData.Admin, group, "Überweisung an DE02 1203 0000 0000 2020 51, Verwendungszweck: die Referenz", Ct));
        TestData.Succeeded(await payments.SetQrAsync(TestData.Admin, group, new MemoryStream(TestPictures.Png(400, 400)), Ct));
        var now = DateTimeOffset.UtcNow; // the app runs on the real clock
        Database.Clock.SetUtcNow(now);
        var sale = TestData.Succeeded(await Database.Get<Application.Sales.FlashSaleService>().CreateAsync(TestData.Admin,
            new Application.Sales.FlashSaleInput(group, product, 9.9m, 20, 2, now.AddSeconds(-5), now.AddHours(1)), Ct));

        await using var phone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 }, "de-DE");
        var page = phone.Page;
        await page.GotoAsync($"/me/flash-sales/{sale}");
        await Expect(page.Locator("[data-testid=sale-price]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^9,90\s€$"));
        await Expect(page.Locator("[data-testid=visitor-join]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=product-gallery] img")).ToHaveCountAsync(2);
        await phone.ScreenshotAsync("offer-visitor");
        await page.ClickAsync("[data-testid=visitor-sign-in-link]");

        await Expect(page.Locator("[data-testid=sign-in-group]")).ToHaveTextAsync("Berlin Tee");
        await page.Locator("[data-testid=sign-in-phone]").FillAsync("0151 23456789"); // as people in Germany write it
        await page.ClickAsync("[data-testid=send-code]");
        await page.Locator("[data-testid=sign-in-code]").FillAsync(Database.Sms.LastCodeTo("+4915123456789"));
        await page.ClickAsync("[data-testid=verify-code]");

        await Expect(page.Locator("[data-testid=claim]")).ToBeVisibleAsync(); // back on the sale, as the member
        await phone.ScreenshotAsync("offer-member");
        await page.ClickAsync("[data-testid=claim]");
        await Expect(page.Locator("[data-testid=claimed]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=amount-due]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^9,90\s€$"));
        var reference = (await page.Locator("[data-testid=payment-reference]").TextContentAsync())!;
        await Expect(page.Locator("[data-testid=payment-text]")).ToContainTextAsync("DE02 1203 0000 0000 2020 51");
        Assert.True(await page.Locator("[data-testid=payment-qr]").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the collection QR code loads");
        await phone.ScreenshotAsync("order-how-to-pay");
        await page.ClickAsync("[data-testid=report-paid]");
        await Expect(page.Locator("[data-testid=payment-reported]")).ToBeVisibleAsync();
        await phone.ScreenshotAsync("order-reported");

        await using var office = await BrowserSession.StartAsync(Database.App.BaseAddress);
        await office.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await office.Page.GotoAsync("/today");
        await office.WaitUntilInteractiveAsync();
        await Expect(office.Page.Locator("[data-testid=menu-to-confirm]")).ToHaveTextAsync("1");
        await Expect(office.Page.Locator("[data-testid=to-confirm-reference]")).ToHaveTextAsync(reference);
        await office.Page.Locator("[data-testid=to-confirm] tbody input[type=checkbox]").First.CheckAsync();
        await office.ScreenshotAsync("today-to-confirm");
        await office.Page.ClickAsync("[data-testid=confirm-selected]");
        await office.Page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Mark paid" }).ClickAsync();
        await Expect(office.Page.Locator("[data-testid=to-confirm-reference]")).ToHaveCountAsync(0);
        await Expect(office.Page.Locator("[data-testid=count-to-confirm]")).ToContainTextAsync("0");

        await page.ReloadAsync();
        await Expect(page.Locator("[data-testid=order-status]")).ToHaveTextAsync("Paid");
        await Expect(page.Locator("[data-testid=report-paid]")).ToHaveCountAsync(0);
    }
}
