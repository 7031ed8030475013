using System.Net.Http.Json;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.IntegrationTests.Announcements;

public sealed class DeliveryDispatcherTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string TelegramToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    private readonly TestData _data = new(database);

    private DeliveryDispatcher Dispatcher => Database.Get<DeliveryDispatcher>();

    private async Task<Guid> ChannelAsync(Guid group, ChannelInput input) =>
        TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group, input, Ct));

    private static ChannelInput WeCom(string key) => new(ChannelKind.WeCom, Key: key);

    private async Task<Guid> AnnounceAsync(string text, params Guid[] groups) =>
        TestData.Succeeded(await Database.Get<AnnouncementService>().ScheduleAsync(TestData.Admin, new AnnouncementInput(groups, text), Ct));

    /// <summary>Within the dispatcher's lookahead, so the post is claimed and held until the clock reaches its time.</summary>
    private static readonly TimeSpan HeldFor = TimeSpan.FromMilliseconds(800);

    private async Task<Guid> AnnounceAtAsync(string text, DateTimeOffset sendAt, params Guid[] groups) =>
        TestData.Succeeded(await Database.Get<AnnouncementService>().ScheduleAsync(TestData.Admin, new AnnouncementInput(groups, text, sendAt), Ct));

    private async Task<List<DeliveryRow>> DeliveriesAsync(Guid announcement) =>
        [.. TestData.Succeeded(await Database.Get<AnnouncementService>().DeliveriesAsync(TestData.Admin, announcement, Ct))];

    [Fact]
    public async Task EveryDuePost_IsDeliveredExactlyOnce_WhenTwoDispatchersRunAtOnce()
    {
        var groups = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            var group = await _data.GroupAsync($"Group {i}");
            groups.Add(group);
            await ChannelAsync(group, WeCom($"robot-key-{i:D4}"));
            await ChannelAsync(group, new ChannelInput(ChannelKind.Telegram, Token: $"12345678{i}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", ChatId: "-100123"));
            await ChannelAsync(group, new ChannelInput(ChannelKind.Webhook, Url: new Uri(Database.Platforms.BaseAddress, $"hook/{i}").ToString(), Secret: PlatformServer.WebhookSecret));
        }

        var announcement = await AnnounceAsync("Flash sale at 20:00 in {group} 🎉", [.. groups]);
        var second = ActivatorUtilities.CreateInstance<DeliveryDispatcher>(Database.Services); // another app instance

        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(Task.Run(() => Dispatcher.RunOnceAsync(Ct)), Task.Run(() => second.RunOnceAsync(Ct)));
        }

        Assert.Equal(24, Database.Platforms.Received.Count);
        Assert.All(Database.Platforms.Received.GroupBy(r => (r.Platform, r.Destination)), g => Assert.Single(g));
        Assert.All(Database.Platforms.Received.Where(r => r.Platform == "webhook"), r => Assert.True(r.SignatureValid));
        Assert.Contains(Database.Platforms.Received, r => r.Text == "Flash sale at 20:00 in Group 3 🎉");
        Assert.All(await DeliveriesAsync(announcement), d => Assert.Equal((DeliveryStatus.Sent, 1), (d.Status, d.Attempts)));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(8, await db.FeedItems.CountAsync(Ct));
    }

    [Fact]
    public async Task ARobotsRateLimit_HoldsAcrossRuns_AndTheRestGoesOutOnceTheWindowMoves()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, WeCom("robot-key-busy"));
        for (var i = 0; i < 25; i++)
        {
            await AnnounceAsync($"Post {i}", group);
        }

        await Dispatcher.RunOnceAsync(Ct);
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal(20, Database.Platforms.CountFor("robot-key-busy")); // 20 a minute per robot

        Database.Clock.Advance(TimeSpan.FromSeconds(61));
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal(25, Database.Platforms.CountFor("robot-key-busy"));
    }

    [Fact]
    public async Task AFullChannel_HoldsItsNextPost_ForTheInstantItsLimitAllowsIt()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, new ChannelInput(ChannelKind.Slack, Url: new Uri(Database.Platforms.BaseAddress, "slack/paced").ToString()));
        var first = await AnnounceAsync("First", group);
        var second = await AnnounceAsync("Second", group);
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal(1, Database.Platforms.CountFor("paced")); // Slack: one a second

        Database.Clock.Advance(TimeSpan.FromMilliseconds(100)); // the next slot is now within the lookahead
        var running = Dispatcher.RunOnceAsync(Ct);
        await WaitUntilAsync(() => Database.Platforms.StartedFor("paced") == 2); // claimed ahead, on the wire
        await Task.Delay(HeldFor * 2, Ct);
        Assert.Equal(1, Database.Platforms.CountFor("paced"));

        Database.Clock.Advance(TimeSpan.FromMilliseconds(900));
        await Task.Delay(HeldFor, Ct);
        Assert.Equal(1, Database.Platforms.CountFor("paced")); // the window plus 1% for jitter: not yet

        Database.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(1, await running);
        var sentAt = new List<DateTimeOffset>();
        foreach (var announcement in new[] { first, second })
        {
            sentAt.Add(Assert.Single(await DeliveriesAsync(announcement)).SentAt!.Value);
        }

        sentAt.Sort();
        Assert.Equal(TimeSpan.FromMilliseconds(1010), sentAt[1] - sentAt[0]); // on the limit's instant, not a poll later
    }

    [Fact]
    public async Task A429_IsRetriedAfterTheRetryAfterItAskedFor()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, new ChannelInput(ChannelKind.Telegram, Token: TelegramToken, ChatId: "-1001234567890"));
        Database.Platforms.Script(TelegramToken, Reply.TelegramTooManyRequests(retryAfterSeconds: 7));
        var announcement = await AnnounceAsync("Countdown: 1 hour");

        await Dispatcher.RunOnceAsync(Ct);
        var waiting = Assert.Single(await DeliveriesAsync(announcement));
        Database.Clock.Advance(TimeSpan.FromSeconds(6));
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal(1, Database.Platforms.CountFor(TelegramToken)); // not before retry_after
        Database.Clock.Advance(TimeSpan.FromSeconds(1));
        await Dispatcher.RunOnceAsync(Ct);

        Assert.Equal((DeliveryStatus.Scheduled, 1), (waiting.Status, waiting.Attempts));
        var sent = Assert.Single(await DeliveriesAsync(announcement));
        Assert.Equal((DeliveryStatus.Sent, 2), (sent.Status, sent.Attempts));
        Assert.Equal(2, Database.Platforms.CountFor(TelegramToken));

        async Task<Guid> AnnounceAsync(string text) => await this.AnnounceAsync(text, group);
    }

    [Fact]
    public async Task DiscordsRateLimitHeaders_PauseTheWebhook_BeforeA429Happens()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, new ChannelInput(ChannelKind.Discord, Url: new Uri(Database.Platforms.BaseAddress, "discord/D1").ToString()));
        Database.Platforms.Script("D1", new Reply(204, Headers: new Dictionary<string, string>
        {
            ["X-RateLimit-Limit"] = "5", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset-After"] = "30.5",
        }));
        var first = await AnnounceAsync("Countdown: 3 days", group);
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await DeliveriesAsync(first)).Status);

        var second = await AnnounceAsync("Countdown: 2 days", group);
        Database.Clock.Advance(TimeSpan.FromSeconds(30));
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal((DeliveryStatus.Scheduled, 1), (Assert.Single(await DeliveriesAsync(second)).Status, Database.Platforms.CountFor("D1")));

        Database.Clock.Advance(TimeSpan.FromSeconds(1));
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal((DeliveryStatus.Sent, 1), (Assert.Single(await DeliveriesAsync(second)).Status, Assert.Single(await DeliveriesAsync(second)).Attempts));
    }

    [Fact]
    public async Task APostScheduledOnAnotherInstance_WakesThisInstancesDispatcher()
    {
        var group = await _data.GroupAsync();
        var signal = Database.Get<DispatcherSignal>();
        while (await signal.WaitAsync(TimeSpan.Zero, Ct))
        {
            // wake-ups left by earlier tests' scheduling
        }

        using var stop = new CancellationTokenSource();
        var listening = Database.Get<DispatchListener>().RunAsync(stop.Token);
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(10), Ct)); // listening now (it wakes once on connecting)

        // The app is another instance: only its NOTIFY can reach this one's signal.
        var response = await Database.App.ApiClient().PostAsJsonAsync("/api/v1/announcements", new { groupIds = new[] { group }, text = "Live now!" }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        await stop.CancelAsync();
        await listening;
    }

    [Fact]
    public async Task Retries_StopAtTheDeadline_AndThePostExpires()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, new ChannelInput(ChannelKind.Slack, Url: new Uri(Database.Platforms.BaseAddress, "slack/T1").ToString()));
        Database.Platforms.Script("T1", Enumerable.Repeat(Reply.ServerError(), 50).ToArray());
        var announcement = await AnnounceAsync("Starts in 10 minutes", group);

        for (var minute = 0; minute <= 70; minute++)
        {
            await Dispatcher.RunOnceAsync(Ct);
            Database.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var delivery = Assert.Single(await DeliveriesAsync(announcement));
        Assert.Equal(DeliveryStatus.Expired, delivery.Status);
        Assert.Equal(delivery.Attempts, Database.Platforms.CountFor("T1"));
        Assert.InRange(delivery.Attempts, 6, 20); // 2 s doubling to a 5-minute cap: about 18 tries in the hour, not one a minute
    }

    [Fact]
    public async Task WeComErrcodes_InA200_AreReadAsTheirMeaning()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, WeCom("robot-key-limit"));
        await ChannelAsync(group, WeCom("robot-key-wrong"));
        Database.Platforms.Script("robot-key-limit", Reply.WeComError(45009, "api freq out of limit"));
        Database.Platforms.Script("robot-key-wrong", Reply.WeComError(93000, "invalid webhook url"));
        var announcement = await AnnounceAsync("Hello", group);

        await Dispatcher.RunOnceAsync(Ct);

        var rows = await DeliveriesAsync(announcement);
        Assert.Contains(rows, d => d.Status == DeliveryStatus.Scheduled && d.LastResponse.Contains("45009", StringComparison.Ordinal));
        Assert.Contains(rows, d => d.Status == DeliveryStatus.Failed && d.LastResponse.Contains("invalid webhook url", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATimeoutAfterSending_IsMarkedForChecking_AndNeverResent()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, WeCom("robot-key-slow"));
        Database.Platforms.Script("robot-key-slow", Reply.Hangs(TimeSpan.FromSeconds(10)));
        var announcement = await AnnounceAsync("Hello", group);

        await Dispatcher.RunOnceAsync(Ct);
        Database.Clock.Advance(TimeSpan.FromMinutes(5));
        await Dispatcher.RunOnceAsync(Ct);

        Assert.Equal(DeliveryStatus.NeedsCheck, Assert.Single(await DeliveriesAsync(announcement)).Status);
        Assert.Equal(1, Database.Platforms.CountFor("robot-key-slow"));
    }

    [Fact]
    public async Task ARestartMidDispatch_ResendsWhatNeverLeft_AndFlagsWhatMightHave()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, WeCom("robot-key-crash"));
        Database.Platforms.Script("robot-key-crash", Reply.Hangs(TimeSpan.FromSeconds(30)));
        var inFlight = await AnnounceAsync("In flight when the app died", group);

        using (var crash = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var running = Dispatcher.RunOnceAsync(crash.Token);
            await WaitUntilAsync(() => Database.Platforms.CountFor("robot-key-crash") == 1);
            await crash.CancelAsync(); // the process dies with the request out
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        }

        var neverLeft = await AnnounceAsync("Claimed but never sent", group);
        await using (var db = await Database.CreateDbContextAsync())
        {
            // A dispatcher that died right after claiming: the row is Claimed with a lease, no request made.
            await db.Database.ExecuteSqlAsync($"""
                UPDATE funnel.deliveries SET status = 'Claimed', lease_until = {Database.Clock.GetUtcNow().AddMinutes(1)}, attempts = 1
                WHERE post_id IN (SELECT id FROM funnel.posts WHERE announcement_id = {neverLeft})
                """, Ct);
        }

        Database.Clock.Advance(DeliveryDispatcher.Lease + TimeSpan.FromSeconds(1));
        await Dispatcher.RunOnceAsync(Ct);

        Assert.Equal(DeliveryStatus.NeedsCheck, Assert.Single(await DeliveriesAsync(inFlight)).Status);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await DeliveriesAsync(neverLeft)).Status);
        Assert.Equal(["In flight when the app died", "Claimed but never sent"], Database.Platforms.Received.Select(r => r.Text));
    }

    [Fact]
    public async Task APostDueSoon_IsOnTheWireAhead_ButItsBodyLeavesOnlyAtItsTime()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, WeCom("robot-key-held"));
        var announcement = await AnnounceAtAsync("Doors open at 20:00", Database.Clock.GetUtcNow() + HeldFor, group);

        var running = Dispatcher.RunOnceAsync(Ct);
        await WaitUntilAsync(() => Database.Platforms.StartedFor("robot-key-held") == 1); // connected, headers in

        await Task.Delay(HeldFor * 2, Ct);
        Assert.Equal(0, Database.Platforms.CountFor("robot-key-held")); // its timer fired, but its time has not come on the clock
        Assert.Equal(DeliveryStatus.Sending, Assert.Single(await DeliveriesAsync(announcement)).Status);

        Database.Clock.Advance(HeldFor);
        Assert.Equal(1, await running);
        Assert.Equal("Doors open at 20:00", Assert.Single(Database.Platforms.Received).Text);
        Assert.Equal((DeliveryStatus.Sent, 1), (Assert.Single(await DeliveriesAsync(announcement)).Status, Database.Platforms.StartedFor("robot-key-held")));
    }

    [Fact]
    public async Task Cancel_DoesNotReportAPostCalledOff_WhenADispatcherHasClaimedItAhead()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, WeCom("robot-key-claimed"));
        var dueIn = DeliveryDispatcher.Lookahead * 4;
        var announcement = await AnnounceAtAsync("Doors open at 20:00", Database.Clock.GetUtcNow() + dueIn, group);
        // Another instance whose clock runs ahead: to it the post is within the lookahead, so it claims and holds it.
        var ahead = new TestClock(Database.Clock.GetUtcNow() + dueIn - HeldFor);
        var running = ActivatorUtilities.CreateInstance<DeliveryDispatcher>(Database.Services, (TimeProvider)ahead).RunOnceAsync(Ct);
        await WaitUntilAsync(() => Database.Platforms.StartedFor("robot-key-claimed") == 1);

        var cancelled = TestData.Succeeded(await Database.Get<AnnouncementService>().CancelAsync(TestData.Admin, announcement, Ct));

        Assert.Equal(new CancelledAnnouncement(PostsCancelled: 0, PostsAlreadyOut: 1), cancelled);
        ahead.Advance(HeldFor);
        Assert.Equal(1, await running);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await DeliveriesAsync(announcement)).Status);
        Assert.Equal(1, Database.Platforms.CountFor("robot-key-claimed"));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Null((await db.Posts.SingleAsync(p => p.AnnouncementId == announcement, Ct)).CancelledAt); // it went out: it is not "called off"
    }

    [Fact]
    public async Task AStopBeforeTheDueTime_TakesTheHeldPostBack_AndItGoesOutOnceLater()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, WeCom("robot-key-stop"));
        var announcement = await AnnounceAtAsync("Doors open at 20:00", Database.Clock.GetUtcNow() + HeldFor, group);

        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var running = Dispatcher.RunOnceAsync(stop.Token);
            await WaitUntilAsync(() => Database.Platforms.StartedFor("robot-key-stop") == 1);
            await stop.CancelAsync(); // the app shuts down gracefully before the post's time
            await running;
        }

        Assert.Equal(DeliveryStatus.Scheduled, Assert.Single(await DeliveriesAsync(announcement)).Status);
        Assert.Equal(0, Database.Platforms.CountFor("robot-key-stop"));

        Database.Clock.Advance(HeldFor);
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await DeliveriesAsync(announcement)).Status);
        Assert.Equal(1, Database.Platforms.CountFor("robot-key-stop"));
    }

    [Fact]
    public async Task APlatformThatHangs_DoesNotHoldUpTheNextPost_ForOtherGroups()
    {
        var slowGroup = await _data.GroupAsync("Slow robot group");
        var otherGroup = await _data.GroupAsync("Other group");
        await ChannelAsync(slowGroup, WeCom("robot-key-hangs"));
        await ChannelAsync(otherGroup, WeCom("robot-key-quick"));
        Database.Platforms.Script("robot-key-hangs", Reply.Hangs(TimeSpan.FromSeconds(8)));
        var stuck = await AnnounceAsync("Stuck at the platform", slowGroup);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var loop = ActivatorUtilities.CreateInstance<DispatchLoop>(Database.Services).RunAsync(stop.Token);
        await WaitUntilAsync(() => Database.Platforms.CountFor("robot-key-hangs") == 1);
        await AnnounceAsync("Right on time", otherGroup);

        await WaitUntilAsync(() => Database.Platforms.CountFor("robot-key-quick") == 1);
        Assert.Equal(DeliveryStatus.Sending, Assert.Single(await DeliveriesAsync(stuck)).Status); // still waiting for its answer
        await stop.CancelAsync();
        await loop;
    }

    [Fact]
    public async Task AssistedChannels_QueueThePostForTheOperator_AtItsTime()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, new ChannelInput(ChannelKind.Assisted, Name: "WeChat customer group"));
        var later = TestData.Succeeded(await Database.Get<AnnouncementService>().ScheduleAsync(TestData.Admin,
            new AnnouncementInput([group], "Tonight 8 pm", Database.Clock.GetUtcNow().AddHours(2)), Ct));

        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal(DeliveryStatus.Scheduled, Assert.Single(await DeliveriesAsync(later)).Status);

        Database.Clock.Advance(TimeSpan.FromHours(2));
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal(DeliveryStatus.AwaitingOperator, Assert.Single(await DeliveriesAsync(later)).Status);
        Assert.Empty(Database.Platforms.Received);
    }

    [Fact]
    public async Task Secrets_AreEncryptedAtRest_AndNeverLogged()
    {
        const string robotKey = "robot-key-topsecret-9f3a";
        var group = await _data.GroupAsync();
        await ChannelAsync(group, WeCom(robotKey));
        await ChannelAsync(group, new ChannelInput(ChannelKind.Telegram, Token: TelegramToken, ChatId: "@teagroup"));
        Database.Platforms.Script(robotKey, Reply.WeComError(93000, $"invalid webhook url, key={robotKey}"));
        Database.Platforms.Script(TelegramToken, Reply.ServerError());
        var announcement = await AnnounceAsync("Hello", group);

        await Dispatcher.RunOnceAsync(Ct);

        Assert.NotEmpty(Database.Logs.Messages);
        Assert.DoesNotContain(Database.Logs.Messages, m => m.Contains(robotKey, StringComparison.Ordinal) || m.Contains(TelegramToken, StringComparison.Ordinal));
        Assert.DoesNotContain(await DeliveriesAsync(announcement), d => d.LastResponse.Contains(robotKey, StringComparison.Ordinal));
        await using var db = await Database.CreateDbContextAsync();
        var stored = await db.Channels.Select(c => c.ProtectedSecret + " " + c.Hint).ToListAsync(Ct);
        Assert.DoesNotContain(stored, s => s.Contains(robotKey, StringComparison.Ordinal) || s.Contains(TelegramToken, StringComparison.Ordinal));
        var channels = TestData.Succeeded(await Database.Get<ChannelService>().ListAsync(TestData.Admin, group, Ct));
        Assert.Contains(channels, c => c.Hint == "…9f3a");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
