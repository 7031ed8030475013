using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Webhooks;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using CommunityFunnel.IntegrationTests.Webhooks;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

public sealed class WebhooksAdminTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Admin_SubscribesAnAddress_ReadsItsDeliveryLog_AndSendsAnEventAgain()
    {
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app runs on the real clock; the sender here on the test clock
        await using var receiver = await EventReceiver.StartAsync();
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);

        await page.GotoAsync("/admin/webhooks");
        await browser.WaitUntilInteractiveAsync();
        var form = page.Locator("[data-testid=new-webhook]");
        await BrowserSession.Input(form, "webhook-url").FillAsync("ftp://files.example.com/drop");
        await page.ClickAsync("[data-testid=subscribe]");
        await Expect(form.GetByText("must be an absolute http(s) URL")).ToBeVisibleAsync(); // each field says what is wrong
        await Expect(page.Locator("[data-testid=events-error]")).ToContainTextAsync("Choose at least one event");
        await Expect(form.GetByText("A signing secret is required")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("webhooks-form-errors");

        await BrowserSession.Input(form, "webhook-url").FillAsync(receiver.Url("shop"));
        await form.GetByText("order.paid", new() { Exact = true }).ClickAsync();
        await form.GetByText("member.joined", new() { Exact = true }).ClickAsync();
        await BrowserSession.Input(form, "webhook-secret").FillAsync(EventReceiver.Secret);
        await page.ClickAsync("[data-testid=subscribe]");
        await Expect(page.Locator("[data-testid=webhook-row-url]")).ToHaveTextAsync(receiver.Url("shop"));
        await Expect(page.Locator("[data-testid=webhook-status]")).ToHaveTextAsync("Active");

        receiver.Script("shop", Reply.ServerError()); // the first request fails; it is tried again 10 s later
        var group = await _data.GroupAsync("Tea lovers");
        var product = await _data.ProductAsync(FunnelStage.Low, 19.9m);
        var ada = await _data.MemberAsync(group, "Ada");
        await _data.OrderAsync(ada, group, product, paid: true);
        await _data.MemberAsync(group, "Grace");
        await Database.Get<OutboxRelay>().DrainAsync(Ct);
        await Database.Get<WebhookSender>().SendDueAsync(Ct);

        await page.ClickAsync("[data-testid=delivery-log]");
        var rows = page.Locator("[data-testid=webhook-deliveries] tbody tr:has([data-testid=delivery-status])");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid=delivery-status][data-status=Pending]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=delivery-status][data-status=Delivered]")).ToHaveCountAsync(2);
        var waiting = rows.Filter(new() { Has = page.Locator("[data-status=Pending]") });
        await Expect(waiting.Locator("[data-testid=delivery-code]")).ToHaveTextAsync("500");
        await waiting.Locator("[data-testid=show-attempts]").ClickAsync();
        await Expect(page.Locator("[data-testid=attempt-log]")).ToContainTextAsync("500 Internal Server Error");
        await browser.ScreenshotAsync("webhook-deliveries");

        var eventId = (await rows.Filter(new() { Has = page.Locator("[data-status=Delivered]") }).First.Locator("[data-testid=delivery-event-id]").TextContentAsync())!.Trim();
        var delivered = rows.Filter(new() { HasText = eventId });
        await delivered.Locator("[data-testid=send-again]").ClickAsync();
        await Expect(delivered.Locator("[data-testid=delivery-status]")).ToHaveAttributeAsync("data-status", "Pending");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        await Database.Get<WebhookSender>().SendDueAsync(Ct);
        await Expect(delivered.Locator("[data-testid=delivery-status]")).ToHaveAttributeAsync("data-status", "Delivered"); // the page refreshes itself
        await Expect(delivered.Locator("[data-testid=delivery-attempts]")).ToHaveTextAsync("2");

        Assert.Equal(2, receiver.Received.Count(r => r.EventId == eventId)); // sent again, with the same event id
        Assert.DoesNotContain(receiver.Received, r => r.EventType == "member.stage_changed");

        await page.GotoAsync("/admin/webhooks");
        await browser.WaitUntilInteractiveAsync();
        await browser.ScreenshotAsync("webhooks");
    }
}
