using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

/// <summary>Phones in the group's country, as operators, newcomers and admins meet them in a real browser.</summary>
public sealed class PhoneNumberFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task AnOperator_AddsAMemberWithANationalNumber_AndAChangedCountryTakesEffect()
    {
        var berlin = await _data.GroupAsync("Berlin Kaffee", "EUR", "Europe/Berlin");
        await _data.OperatorAsync("op@test.local", berlin);
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync("op@test.local", "operator-password-1");

        await page.GotoAsync($"/groups/{berlin}");
        await browser.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Members" }).ClickAsync();
        await page.ClickAsync("[data-testid=add-member]");
        await page.GetByLabel("Display name").FillAsync("Jana");
        await page.GetByLabel("Phone").FillAsync("0151 98");
        await page.ClickAsync("[data-testid=save-member]");
        await Expect(page.GetByText("'0151 98' is not a valid phone number in Germany (DE, +49).")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("phones-add-member-refused");
        await page.GetByLabel("Phone").FillAsync("0151 9876 5432");
        await page.ClickAsync("[data-testid=save-member]");
        await Expect(page.GetByText("+4915198765432")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.GetByText("Empty: the time zone's country, Germany (DE, +49).")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("phones-group-dialog");
        await BrowserSession.Input(page.Locator(".mud-dialog"), "group-country").FillAsync("Austria");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Austria (AT, +43)" }).ClickAsync();
        await page.ClickAsync("[data-testid=save-group]");

        await Expect(page.GetByText("Europe/Berlin · Austria · EUR")).ToBeVisibleAsync();
        Assert.Equal("AT", TestData.Succeeded(await Database.Get<GroupService>().GetAsync(TestData.Admin, berlin, Ct)).Country);
    }

    [Fact]
    public async Task ANewcomer_OnAPhone_IsToldTheNumberIsNotOneOfTheGroupsCountry_ThenJoins()
    {
        var berlin = await _data.GroupAsync("Berlin Kaffee", "EUR", "Europe/Berlin");
        var joinCode = TestData.Succeeded(await Database.Get<GroupService>().GetAsync(TestData.Admin, berlin, Ct)).JoinCode;
        await using var phone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 }, "de-DE");
        var page = phone.Page;

        await page.GotoAsync($"/join/{joinCode}");
        await Expect(page.Locator("[data-testid=join-phone]")).ToHaveAttributeAsync("placeholder", "01512 3456789"); // a German mobile as Germans write it
        await phone.ScreenshotAsync("phones-join-form");
        await page.Locator("[data-testid=join-name]").FillAsync("Jana");
        await page.Locator("[data-testid=join-phone]").FillAsync("0151 98");
        await page.Locator("[data-testid=join-consent]").CheckAsync();
        await page.ClickAsync("[data-testid=join-submit]");

        await Expect(page.Locator("[data-testid=error-phone]")).ToHaveTextAsync(
            "This is not a valid phone number in Deutschland (+49). Check it, or start with + and the country code.");
        await phone.ScreenshotAsync("phones-join-refused");
        await page.Locator("[data-testid=join-phone]").FillAsync("0151 9876 5432");
        await page.Locator("[data-testid=join-consent]").CheckAsync();
        await page.ClickAsync("[data-testid=join-submit]");
        await Expect(page.Locator("[data-testid=joined]")).ToBeVisibleAsync();
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal("+4915198765432", (await db.Members.SingleAsync(Ct)).Phone);
    }

    [Fact]
    public async Task AnAdmin_FindsTheDuplicatesTheBackfillLeft_AndOpensTheMembers()
    {
        var berlin = await _data.GroupAsync("Berlin Kaffee", "EUR", "Europe/Berlin");
        var shanghai = await _data.GroupAsync("上海茶友会");
        await _data.MemberAsync(shanghai, "Jana (WeChat)", "+49 151 98765432");
        var duplicate = await _data.MemberAsync(berlin, "Jana Berger");
        var unreadable = await _data.MemberAsync(berlin, "Eve");
        await using (var db = await Database.CreateDbContextAsync())
        {
            // As an older version stored them: digits as typed.
            await db.Database.ExecuteSqlAsync($"UPDATE funnel.members SET phone = '015198765432' WHERE id = {duplicate}", Ct);
            await db.Database.ExecuteSqlAsync($"UPDATE funnel.members SET phone = '12345' WHERE id = {unreadable}", Ct);
            await db.CompletedBackfills.ExecuteDeleteAsync(Ct);
        }

        await Database.Get<StoredPhoneBackfill>().RunAsync(Ct);
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Duplicate phones" }).ClickAsync();

        var set = page.Locator("[data-testid=duplicate-set]");
        await Expect(set).ToHaveCountAsync(1);
        await Expect(set.Locator("[data-testid=finding-member]")).ToHaveTextAsync(["Jana (WeChat)", "Jana Berger"]);
        await Expect(page.Locator("[data-testid=unreadable-phones] [data-testid=finding-member]")).ToHaveTextAsync("Eve");
        await browser.ScreenshotAsync("phones-admin-duplicates");
        await set.GetByText("Jana Berger").ClickAsync();
        await Expect(page.Locator("[data-testid=member-title]")).ToHaveTextAsync("Jana Berger");
    }
}
