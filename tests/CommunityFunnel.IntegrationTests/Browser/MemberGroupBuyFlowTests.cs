using System.Text.RegularExpressions;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

public sealed class MemberGroupBuyFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task AMember_OpensTheirPersonalLink_AndJoinsAGroupBuy_SeeingThePriceFall()
    {
        var group = await _data.GroupAsync("Madrid Café", "EUR", "Europe/Madrid");
        var product = await _data.ProductAsync(Domain.Members.FunnelStage.Mid, 99m, "EUR");
        var (first, second) = (await _data.MemberAsync(group, "Lucía"), await _data.MemberAsync(group, "Hugo"));
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app checks times on the real clock
        var now = Database.Clock.GetUtcNow();
        var groupBuy = TestData.Succeeded(await Database.Get<GroupBuyService>().CreateAsync(TestData.Admin,
            new GroupBuyInput(group, product, [new GroupBuyTier(2, 90m), new GroupBuyTier(3, 85m), new GroupBuyTier(5, 75m)], 2, now.AddMinutes(-1), now.AddHours(24)), Ct));
        TestData.Succeeded(await Database.Get<GroupBuyService>().JoinAsync(groupBuy, first, 1, Ct));
        var token = await _data.PersonalLinkAsync(second);

        await using var phone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 });
        var page = phone.Page;
        await page.GotoAsync($"/m/{token}");
        await Expect(page.Locator("[data-testid=member-name]")).ToHaveTextAsync("Hugo");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(page.Locator("body")).ToContainTextAsync("Compras en grupo"); // the group's language, not the browser's
        await page.ClickAsync("[data-testid=group-buy-link]");
        await Expect(page.Locator("[data-testid=group-buy-price]")).ToContainTextAsync("90");
        await Expect(page.Locator("[data-testid=next-tier]")).ToContainTextAsync("1");

        await page.Locator("[data-testid=group-buy-quantity]").FillAsync("2");
        await page.ClickAsync("[data-testid=join-group-buy]");

        await Expect(page.Locator("[data-testid=joined-group-buy]")).ToHaveTextAsync(new Regex("Estás dentro con 2 porciones"));
        await Expect(page.Locator("[data-testid=group-buy-price]")).ToContainTextAsync("90");
        await Expect(page.Locator("[data-testid=next-tier]")).ToContainTextAsync("85");
        await phone.ScreenshotAsync("member-group-buy");
        var view = TestData.Succeeded(await Database.Get<GroupBuyService>().GetAsync(TestData.Admin, groupBuy, Ct));
        Assert.Equal((2, 3), (view.Participants, view.Portions));
    }
}
