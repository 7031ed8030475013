using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

public sealed class MemberSignInFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task AMemberOnANewPhone_SignsInWithACode_AndLandsOnTheSale()
    {
        var group = await _data.GroupAsync("Té de Madrid", timeZone: "Europe/Madrid"); // a Spanish-speaking group
        await _data.MemberAsync(group, "Ada", phone: "+34 612 345 678");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app runs on the real clock
        var sale = await _data.FlashSaleAsync(group);

        await using var phone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 });
        var page = phone.Page;
        await page.GotoAsync($"/me/sign-in?returnUrl=/me/flash-sales/{sale}");
        await Expect(page.Locator("[data-testid=sign-in-group]")).ToHaveTextAsync("Té de Madrid");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es"); // the language of the sale's group
        await phone.ScreenshotAsync("otp-phone-step");
        await page.Locator("[data-testid=sign-in-phone]").FillAsync("612 34 56 78"); // written as people in Spain do, read in the group's country
        await page.ClickAsync("[data-testid=send-code]");

        await Expect(page.Locator("[data-testid=code-sent]")).ToContainTextAsync("+34612345678");
        await phone.ScreenshotAsync("otp-code-step");
        var code = Database.Sms.LastCodeTo("+34612345678");
        await page.Locator("[data-testid=sign-in-code]").FillAsync(code == "000000" ? "111111" : "000000");
        await page.ClickAsync("[data-testid=verify-code]");
        await Expect(page.Locator("[data-testid=error-code]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=resend-code]");
        await Expect(page.Locator("[data-testid=error-phone]")).ToBeVisibleAsync(); // within 60 s of the last code
        await phone.ScreenshotAsync("otp-errors");

        await page.Locator("[data-testid=sign-in-code]").FillAsync(code);
        await page.ClickAsync("[data-testid=verify-code]");

        await Expect(page.Locator("[data-testid=sale-product]")).ToBeVisibleAsync();
        Assert.EndsWith($"/me/flash-sales/{sale}", page.Url, StringComparison.Ordinal);
        await phone.ScreenshotAsync("otp-signed-in");
    }
}
