using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

public sealed class ChannelsTabTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Operator_PausesResumesDeactivatesAndDeletesAChannel_FromTheChannelsTab()
    {
        var group = await _data.GroupAsync("Madrid Café", "EUR", "Europe/Madrid");
        foreach (var key in new[] { "robot-key-tab-one", "robot-key-tab-two" })
        {
            TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group, new ChannelInput(ChannelKind.WeCom, Name: key, Key: key), Ct));
        }

        await _data.OperatorAsync("op@test.local", group);
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync("op@test.local", "operator-password-1");
        await page.GotoAsync($"/groups/{group}");
        await browser.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Channels" }).ClickAsync();
        var first = page.Locator("[data-testid=channel-row]", new() { HasText = "robot-key-tab-one" });
        var status = first.Locator("[data-testid=channel-status]");
        await Expect(status).ToHaveTextAsync("Active");

        await first.Locator("[data-testid=pause-channel]").ClickAsync();
        await Expect(status).ToHaveTextAsync("Paused");
        await first.Locator("[data-testid=deactivate-channel]").ClickAsync();
        await Expect(status).ToHaveTextAsync("Inactive");
        await browser.ScreenshotAsync("channels-tab");
        await first.Locator("[data-testid=resume-channel]").ClickAsync();
        await first.Locator("[data-testid=activate-channel]").ClickAsync();
        await Expect(status).ToHaveTextAsync("Active");

        await first.Locator("[data-testid=delete-channel]").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        await Expect(page.Locator("[data-testid=channel-row]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=channel-row]")).ToContainTextAsync("robot-key-tab-two");
        Assert.Single(TestData.Succeeded(await Database.Get<ChannelService>().ListAsync(TestData.Admin, group, Ct)));
    }
}
