using System.Text.RegularExpressions;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

/// <summary>The join link as an operator and a newcomer see it: on the group's overview, renewed, and on a phone when full.</summary>
public sealed partial class JoinLinkFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Operator_SeesTheJoinLinkAndQr_RenewsIt_AndTheOldLinkSaysItNoLongerWorksOnAPhone()
    {
        var group = await _data.GroupAsync("Madrid Café Club", "EUR", "Europe/Madrid");
        var oldCode = await JoinCodeAsync(group);
        await _data.OperatorAsync("op@test.local", group);
        await using var office = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = office.Page;
        await office.SignInAsync("op@test.local", "operator-password-1");

        await page.GotoAsync($"/groups/{group}");
        await office.WaitUntilInteractiveAsync();
        var url = BrowserSession.Input(page.Locator("[data-testid=join-link-card]"), "join-url");
        await Expect(url).ToHaveValueAsync(new Uri(Database.App.BaseAddress, $"/join/{oldCode}").ToString());
        await Expect(page.Locator("[data-testid=join-qr] svg")).ToBeVisibleAsync();
        await Expect(page.Locator("a[data-testid=join-qr-png]")).ToHaveAttributeAsync("href", $"/groups/{group}/join-qr?format=png");
        await office.ScreenshotAsync("joinlink-group-overview");

        await page.ClickAsync("[data-testid=renew-join-link]");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make a new link" }).ClickAsync();
        await Expect(page.GetByText("New join link ready; the old one no longer works.")).ToBeVisibleAsync();
        var newCode = await JoinCodeAsync(group);
        Assert.NotEqual(oldCode, newCode);
        await Expect(url).ToHaveValueAsync(new Uri(Database.App.BaseAddress, $"/join/{newCode}").ToString());

        await using var phone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 });
        await phone.Page.GotoAsync($"/join/{oldCode}");
        await Expect(phone.Page.Locator("[data-testid=join-link-retired]")).ToContainTextAsync("Madrid Café Club");
        await Expect(phone.Page.Locator("[data-testid=join-submit]")).ToHaveCountAsync(0);
        await phone.ScreenshotAsync("joinlink-retired-phone");
    }

    [Fact]
    public async Task GroupDialog_ShowsAnImpossibleCapacityAtTheField_AndTheFullGroupPageShowsTheHostsContactOnAPhone()
    {
        var group = await _data.GroupAsync("NYC Skincare Circle", "USD", "America/New_York", capacity: 2);
        await _data.MembersAsync(group, 2);
        await using var office = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = office.Page;
        await office.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await page.GotoAsync($"/groups/{group}");
        await office.WaitUntilInteractiveAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await BrowserSession.Input(page.Locator(".mud-dialog"), "group-capacity").FillAsync("-5");
        await BrowserSession.Input(page.Locator(".mud-dialog"), "group-host-contact").FillAsync("Text Mia on WhatsApp: +1 212 555 0100");
        await page.ClickAsync("[data-testid=save-group]");
        await Expect(page.Locator(".mud-dialog").GetByText(CapacityError())).ToBeVisibleAsync();
        await office.ScreenshotAsync("joinlink-capacity-error");
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.Equal((2, ""), await db.Groups.Where(g => g.Id == group).Select(g => new ValueTuple<int, string>(g.Capacity, g.HostContact)).SingleAsync(Ct));
        }

        await BrowserSession.Input(page.Locator(".mud-dialog"), "group-capacity").FillAsync("2");
        await page.ClickAsync("[data-testid=save-group]");
        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=overview-host-contact]")).ToHaveTextAsync("Text Mia on WhatsApp: +1 212 555 0100");

        await using var phone = await BrowserSession.StartAsync(Database.App.BaseAddress, new ViewportSize { Width = 390, Height = 844 });
        await phone.Page.GotoAsync($"/join/{await JoinCodeAsync(group)}");
        await Expect(phone.Page.Locator("[data-testid=group-full]")).ToContainTextAsync("This group is full.");
        await Expect(phone.Page.Locator("[data-testid=host-contact]")).ToHaveTextAsync("Text Mia on WhatsApp: +1 212 555 0100");
        await Expect(phone.Page.Locator("[data-testid=join-submit]")).ToHaveCountAsync(0);
        await phone.ScreenshotAsync("joinlink-group-full-phone");
    }

    private async Task<string> JoinCodeAsync(Guid group)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Groups.Where(g => g.Id == group).Select(g => g.JoinCode).SingleAsync(Ct);
    }

    [GeneratedRegex("Capacity must be between 1 and")]
    private static partial Regex CapacityError();
}
