using CommunityFunnel.Application.Members;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

/// <summary>The shared-member privacy rule as an operator meets it in the browser.</summary>
public sealed class MemberPrivacyFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task AnOperator_AddsAKnownPhone_AndSeesOnlyTheirOwnGroupsPartOfThatPerson()
    {
        var theirs = await _data.GroupAsync("Other club");
        var ada = await _data.MemberAsync(theirs, "Ada", "13800138000");
        await _data.OrderAsync(ada, theirs, await _data.ProductAsync(FunnelStage.High, 4999m), paid: true);
        TestData.Succeeded(await Database.Get<MemberService>().DescribeInGroupAsync(TestData.Admin, ada, theirs, ["whale"], "Complained twice", Ct));
        var mine = await _data.GroupAsync("Mine");
        await _data.OperatorAsync("op@test.local", mine);
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync("op@test.local", "operator-password-1");

        await page.GotoAsync($"/groups/{mine}");
        await browser.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Members" }).ClickAsync();
        await page.ClickAsync("[data-testid=add-member]");
        await page.GetByLabel("Display name").FillAsync("Ada");
        await page.GetByLabel("Phone").FillAsync("138 0013 8000");
        await page.ClickAsync("[data-testid=save-member]");
        await page.Locator("[data-testid=member-link]", new() { HasText = "Ada" }).ClickAsync();

        await Expect(page.Locator("[data-testid=member-stage]")).ToHaveTextAsync("High"); // one person, one stage
        await Expect(page.Locator("[data-testid=member-groups]")).ToContainTextAsync("Mine");
        var body = page.Locator("body");
        await Expect(body).Not.ToContainTextAsync("Other club");
        await Expect(body).Not.ToContainTextAsync("4,999");
        await Expect(body).Not.ToContainTextAsync("Complained twice");
        await Expect(body).Not.ToContainTextAsync("whale");
        await Expect(page.Locator("[data-testid=total-paid]")).ToHaveTextAsync("—");

        await page.ClickAsync("[data-testid=edit-group-notes]");
        await BrowserSession.Input(page.Locator(".mud-dialog"), "group-tags").FillAsync("tea, evenings");
        await page.Locator("textarea[data-testid=group-notes]").FillAsync("Prefers evening deliveries");
        await page.ClickAsync("[data-testid=save-group-notes]");
        await Expect(page.Locator("[data-testid=group-notes-text]")).ToHaveTextAsync("Prefers evening deliveries");

        await page.ClickAsync("[data-testid=personal-link]");
        await Expect(page.Locator("input[data-testid=personal-link-value]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/m/[A-Za-z0-9_-]{43}$"));
        await browser.ScreenshotAsync("member-shared-operator-view");
        await page.ClickAsync("[data-testid=revoke-sessions]");
        await Expect(page.Locator("[data-testid=revoked]")).ToContainTextAsync("1 unopened links withdrawn");
    }

    [Fact]
    public async Task OnAPhone_ARegisteredPhoneMustEnterTheCodeSentToIt_AndAUsedLinkSaysSo()
    {
        var group = await _data.GroupAsync("Madrid Café", "EUR", "Europe/Madrid");
        var ada = await _data.MemberAsync(group, "Ada", "+34600000001");
        var joinCode = TestData.Succeeded(await Database.Get<Application.Groups.GroupService>().GetAsync(TestData.Admin, group, Ct)).JoinCode;
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var token = await _data.PersonalLinkAsync(ada);
        await using var phone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 });
        var page = phone.Page;

        await page.GotoAsync($"/join/{joinCode}");
        await page.Locator("[data-testid=join-name]").FillAsync("Mallory");
        await page.Locator("[data-testid=join-phone]").FillAsync("+34 600 000 001");
        await page.Locator("[data-testid=join-consent]").CheckAsync();
        await page.ClickAsync("[data-testid=join-submit]");
        await Expect(page.Locator("[data-testid=code-sent]")).ToContainTextAsync("+34600000001"); // the code goes to the phone's owner, not to whoever typed it
        Assert.Equal("+34600000001", Database.Sms.Messages.Single().To);
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.False(await db.Members.AnyAsync(m => m.DisplayName == "Mallory", Ct)); // nothing joins until the code is entered
        }

        await phone.ScreenshotAsync("member-join-code");

        await page.GotoAsync($"/m/{token}");
        await Expect(page.Locator("[data-testid=member-name]")).ToHaveTextAsync("Ada");
        await page.Context.ClearCookiesAsync();
        await page.GotoAsync($"/m/{token}");
        await Expect(page.Locator("[data-testid=link-problem]")).ToHaveTextAsync("This personal link has already been used"); // no session, no group: the browser's language
        await phone.ScreenshotAsync("member-link-used");
    }
}
