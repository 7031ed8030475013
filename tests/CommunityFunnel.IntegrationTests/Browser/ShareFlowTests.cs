using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Rebates;
using Microsoft.EntityFrameworkCore;
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
        Database.Clock.Advance(TimeSpan.FromMinutes(1)); // newest first
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

    [Fact]
    public async Task AMembersLink_BringsANewcomer_WhosePaidOrderShowsAsTheMembersPendingRebate()
    {
        TestData.Succeeded(await Database.Get<CommissionPlans>().SaveAsync(TestData.Admin, "CNY", new CommissionTerms(10m, 0m, 7, null, null, false, true, []), Ct));
        var group = await _data.GroupAsync("上海茶友会");
        var sharer = await _data.MemberAsync(group, "王小明");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var token = await _data.PersonalLinkAsync(sharer);
        await using var sharerPhone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 });
        await sharerPhone.Page.GotoAsync($"/m/{token}");
        await sharerPhone.Page.ClickAsync("[data-testid=share-and-earn]");
        await Expect(sharerPhone.Page.Locator("[data-testid=rebates-pending]")).ToHaveTextAsync("¥0.00");
        var shared = new Uri(await sharerPhone.Page.Locator("[data-testid=share-url]").InnerTextAsync());

        await using var newcomerPhone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 });
        var join = newcomerPhone.Page;
        await join.GotoAsync(shared.PathAndQuery);
        await join.Locator("[data-testid=join-name]").FillAsync("李娜");
        await join.Locator("[data-testid=join-phone]").FillAsync("13912345670");
        await join.Locator("[data-testid=join-consent]").CheckAsync();
        await join.ClickAsync("[data-testid=join-submit]");
        await Expect(join.Locator("[data-testid=joined]")).ToBeVisibleAsync();
        Guid newcomer;
        await using (var db = await Database.CreateDbContextAsync())
        {
            newcomer = await db.Members.Where(m => m.ReferrerId == sharer).Select(m => m.Id).SingleAsync(Ct);
        }

        await _data.OrderAsync(newcomer, group, await _data.ProductAsync(FunnelStage.Mid, 399m));
        await using var office = await BrowserSession.StartAsync(Database.App.BaseAddress);
        await office.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await office.Page.GotoAsync($"/members/{newcomer}");
        await office.WaitUntilInteractiveAsync();
        await office.Page.ClickAsync("[data-testid=pay-order]");
        await Expect(office.Page.Locator("[data-testid=member-stage]")).ToContainTextAsync("Mid");

        await sharerPhone.Page.ReloadAsync();
        await Expect(sharerPhone.Page.Locator("[data-testid=rebates-pending]")).ToHaveTextAsync("¥39.90");
        await Expect(sharerPhone.Page.Locator("[data-testid=rebate-line]")).ToHaveCountAsync(1);
        await Expect(sharerPhone.Page.Locator("[data-testid=brought-paid]")).ToHaveCountAsync(1);
        await sharerPhone.Page.Locator("[data-testid=earnings]").ScrollIntoViewIfNeededAsync();
        await sharerPhone.ScreenshotAsync("share-page-rebate-pending");
        Assert.Equal(RebateEntryKind.Earned, Assert.Single(TestData.Succeeded(await Database.Get<RebateAccounts>().StatementAsync(TestData.Admin, sharer, null, Ct)).Entries).Kind);
    }
}
