using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

public sealed class MemberPhoneFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task ANewcomer_JoinsOnAPhone_ClaimsInALiveFlashSale_AndPaymentMovesThemUp()
    {
        var group = await _data.GroupAsync("上海茶友会");
        var referrer = await _data.MemberAsync(group, "老王");
        var product = await _data.ProductAsync(price: 29.9m);
        var api = Database.App.ApiClient();
        var now = DateTimeOffset.UtcNow; // the app runs on the real clock
        var created = await api.PostAsJsonAsync("/api/v1/flash-sales",
            new { groupId = group, productId = product, price = 9.9, stock = 5, perMemberLimit = 2, startsAt = now.AddSeconds(-5), endsAt = now.AddMinutes(30) }, Ct);
        var sale = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var joinCode = TestData.Succeeded(await Database.Get<GroupService>().GetAsync(TestData.Admin, group, Ct)).JoinCode;
        await using var db = await Database.CreateDbContextAsync();
        var referralCode = db.Members.Single(m => m.Id == referrer).ReferralCode;

        await using var phone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 }, "zh-CN");
        var page = phone.Page;
        await page.GotoAsync($"/join/{joinCode}?ref={referralCode}");
        await Expect(page.Locator("[data-testid=join-group]")).ToHaveTextAsync("上海茶友会");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans"); // the group's language
        await page.Locator("[data-testid=join-name]").FillAsync("小美 🌸");
        await page.Locator("[data-testid=join-phone]").FillAsync("13912345678");
        await page.ClickAsync("[data-testid=join-submit]");
        await Expect(page.Locator("[data-testid=error-consent]")).ToBeVisibleAsync(); // consent is required
        await page.Locator("[data-testid=join-consent]").CheckAsync();
        await page.ClickAsync("[data-testid=join-submit]");

        await Expect(page.Locator("[data-testid=joined]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=member-name]")).ToHaveTextAsync("小美 🌸");
        await phone.ScreenshotAsync("member-home");
        await page.ClickAsync("[data-testid=flash-sale-link]");
        await Expect(page.Locator("[data-testid=remaining]")).ToHaveTextAsync("5");
        await page.ClickAsync("[data-testid=claim]");

        await Expect(page.Locator("[data-testid=claimed]")).ToBeVisibleAsync(); // on the order's page, with how to pay
        await Expect(page.Locator("[data-testid=amount-due]")).ToHaveTextAsync("¥9.90");
        await phone.ScreenshotAsync("member-claimed");
        await page.GotoAsync($"/me/flash-sales/{sale}");
        await Expect(page.Locator("[data-testid=remaining]")).ToHaveTextAsync("4");

        await using var check = await Database.CreateDbContextAsync();
        var member = check.Members.Single(m => m.Phone == "+8613912345678" || m.Phone == "13912345678");
        Assert.Equal(referrer, member.ReferrerId);
        var order = check.Orders.Single(o => o.FlashSaleId == sale);
        Assert.Equal((member.Id, 1), (order.MemberId, order.Quantity));

        // The operator marks it paid in the back office; the member's page shows the new stage.
        await using var office = await BrowserSession.StartAsync(Database.App.BaseAddress);
        await office.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await office.Page.GotoAsync($"/members/{member.Id}");
        await office.WaitUntilInteractiveAsync();
        await office.Page.ClickAsync("[data-testid=pay-order]");
        await Expect(office.Page.Locator("[data-testid=member-stage]")).ToContainTextAsync("Low");

        await page.GotoAsync("/me");
        await Expect(page.Locator("[data-testid=order-status]").First).ToHaveTextAsync("已付款");
        await Expect(page.Locator("[data-testid=member-stage]")).ToHaveCountAsync(0); // the funnel's stages are the host's words, not the customer's
        await phone.ScreenshotAsync("member-paid");
    }
}
