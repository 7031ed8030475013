using System.Text.RegularExpressions;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

public sealed class PostingFlowTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Operator_SchedulesACountdownForTwoGroups_SeesTheTimeline_AndAPostDueNowIsDelivered()
    {
        foreach (var (name, zone, hook) in new[] { ("上海茶友会", "Asia/Shanghai", "sh"), ("Madrid Café", "Europe/Madrid", "md") })
        {
            var group = await _data.GroupAsync(name, name.StartsWith("Madrid", StringComparison.Ordinal) ? "EUR" : "CNY", zone);
            TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group,
                new ChannelInput(ChannelKind.Webhook, Url: new Uri(Database.Platforms.BaseAddress, $"hook/{hook}").ToString(), Secret: PlatformServer.WebhookSecret), Ct));
        }

        // This app instance runs its own dispatcher loop, as production does.
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Announcements:RunDispatcher"] = "true" });
        await using var browser = await BrowserSession.StartAsync(app.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);

        await page.GotoAsync("/events/new");
        await browser.WaitUntilInteractiveAsync();
        await page.ClickAsync("[data-testid=all-groups]");
        await BrowserSession.Input(page.Locator("body"), "event-title").FillAsync("周五团购 Friday group-buy");
        await BrowserSession.Input(page.Locator("body"), "event-start").FillAsync(DateTime.UtcNow.Date.AddDays(10).AddHours(20).ToString("yyyy-MM-ddTHH:mm"));
        await page.ClickAsync("[data-testid=preview-event]");
        await Expect(page.Locator("[data-testid=preview-post]")).ToHaveCountAsync(12); // 6 countdown posts in each group
        await browser.ScreenshotAsync("event-preview");
        await page.ClickAsync("[data-testid=create-event]");

        await Expect(page).ToHaveURLAsync(new Regex("/timeline$"), new() { Timeout = 20_000 }); // a client-side navigation: poll the URL
        await browser.WaitUntilInteractiveAsync();
        await Expect(page.Locator("[data-testid=timeline-post]")).ToHaveCountAsync(12);
        await browser.ScreenshotAsync("timeline");

        await page.GotoAsync("/posts/new");
        await browser.WaitUntilInteractiveAsync();
        await page.ClickAsync("[data-testid=all-groups]");
        await page.Locator("textarea[data-testid=post-text]").FillAsync("Flash sale in {group} starts now!");
        await page.ClickAsync("[data-testid=send-post]");

        await Expect(page).ToHaveURLAsync(new Regex("/announcements/[0-9a-f-]{36}$"), new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid=delivery-status]", new() { HasText = "Sent" })).ToHaveCountAsync(2, new() { Timeout = 20_000 });
        await browser.ScreenshotAsync("delivery-log");
        Assert.Contains(Database.Platforms.Received, r => r.Destination == "sh" && r.Text == "Flash sale in 上海茶友会 starts now!");
        Assert.Contains(Database.Platforms.Received, r => r.Destination == "md" && r.Text == "Flash sale in Madrid Café starts now!");
        Assert.Equal(2, Database.Platforms.Received.Count);
    }

    [Fact]
    public async Task Operator_EditsAScheduledEvent_FromItsDeliveryLog_AndTheTimelineShowsTheRevisedCountdown()
    {
        var shanghai = await _data.GroupAsync("上海茶友会", "CNY", "Asia/Shanghai");
        var madrid = await _data.GroupAsync("Madrid Café", "EUR", "Europe/Madrid");
        var startsAt = DateTime.UtcNow.Date.AddDays(10).AddHours(20).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var created = TestData.Succeeded(await Database.Get<EventService>().CreateAsync(TestData.Admin,
            new EventInput([shanghai, madrid], "Friday group-buy", startsAt), Ct));

        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString);
        await using var browser = await BrowserSession.StartAsync(app.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await page.GotoAsync($"/announcements/{created.Id}");
        await browser.WaitUntilInteractiveAsync();
        await page.ClickAsync("[data-testid=edit-event]");

        await Expect(page).ToHaveURLAsync(new Regex($"/events/{created.Id}/edit$"), new() { Timeout = 20_000 });
        await browser.WaitUntilInteractiveAsync();
        var title = BrowserSession.Input(page.Locator("body"), "event-title");
        await Expect(title).ToHaveValueAsync("Friday group-buy");
        await Expect(BrowserSession.Input(page.Locator("body"), "event-start")).ToHaveValueAsync(startsAt);
        await Expect(page.Locator("[data-testid=group-picker]")).ToHaveValueAsync(new Regex("Madrid Café"));
        await title.FillAsync("Friday group-buy: 3 buy at 85");
        await browser.ScreenshotAsync("event-edit");
        await page.ClickAsync("[data-testid=create-event]");

        await Expect(page).ToHaveURLAsync(new Regex("/timeline$"), new() { Timeout = 20_000 });
        await browser.WaitUntilInteractiveAsync();
        var posts = page.Locator("[data-testid=timeline-post]");
        await Expect(posts).ToHaveCountAsync(12); // the revised countdown only: the replaced posts are cancelled
        Assert.All(await posts.AllInnerTextsAsync(), text => Assert.Contains("Friday group-buy: 3 buy at 85", text, StringComparison.Ordinal));
    }
}
