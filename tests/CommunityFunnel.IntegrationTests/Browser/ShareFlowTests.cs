using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

/// <summary>"Share & earn" on a phone, in the group's language, and the join poster on the group's page.</summary>
public sealed class ShareFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Theory]
    [InlineData("云南普洱茶友会", "CNY", "Asia/Shanghai", "王小明", "分享赚钱", "你邀请的人", "share-page-zh-Hans")]
    [InlineData("NYC Tea Club", "USD", "America/New_York", "Ada Lovelace", "Share & earn", "People you brought", "share-page-en")]
    public async Task OnAPhone_SharePage_ShowsTheLinkQrCodePosterAndPeopleBrought_InTheGroupsLanguage(
        string groupName, string currency, string timeZone, string memberName, string title, string peopleHeading, string screenshot)
    {
        var group = await _data.GroupAsync(groupName, currency, timeZone);
        var member = await _data.MemberAsync(group, memberName);
        var brought = await _data.MemberAsync(group, "Grace Hopper", referrerId: member);
        await _data.MemberAsync(group, "李娜", referrerId: member);
        await _data.OrderAsync(brought, group, await _data.ProductAsync(currency: currency), paid: true);
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var product = await _data.ProductAsync(FunnelStage.Low, 19.9m, currency);
        var now = Database.Clock.GetUtcNow();
        TestData.Succeeded(await Database.Get<FlashSaleService>().CreateAsync(TestData.Admin, new FlashSaleInput(group, product, 9.9m, 10, 1, now, now.AddHours(1)), Ct));
        var token = await _data.PersonalLinkAsync(member);
        await using var phone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 });
        var page = phone.Page;

        await page.GotoAsync($"/m/{token}");
        await page.ClickAsync("[data-testid=share-and-earn]");

        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(page.Locator("[data-testid=brought-people] h2")).ToHaveTextAsync(peopleHeading);
        await Expect(page.Locator("[data-testid=brought-name]")).ToHaveTextAsync(["李*", "Grace H."], new() { UseInnerText = true });
        await Expect(page.Locator("[data-testid=share-url]")).ToContainTextAsync("?ref=");
        await page.Locator("[data-testid=save-poster]").ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-testid=share-qr], [data-testid=share-poster]')].every(i => i.complete && i.naturalWidth > 0)");
        Assert.Equal(1080, await page.Locator("[data-testid=share-poster]").EvaluateAsync<int>("i => i.naturalWidth"));
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await phone.ScreenshotAsync(screenshot);
    }

    [Fact]
    public async Task TheGroupsPage_ShowsTheJoinPoster_NextToTheQrCode()
    {
        var group = await _data.GroupAsync("上海茶友会");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        await _data.FlashSaleAsync(group, price: 9.9m);
        await using var office = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = office.Page;
        await office.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);

        await page.GotoAsync($"/groups/{group}");
        await office.WaitUntilInteractiveAsync();

        await Expect(page.Locator("[data-testid=join-poster-png]")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"^/groups/{group}/join-poster"));
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=join-poster]'); return i && i.complete && i.naturalWidth === 1080; }");
        await page.Locator("[data-testid=join-link-card]").ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "group-join-poster.png") });
    }
}
