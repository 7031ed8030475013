using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Announcements;

/// <summary>What the dispatcher makes of odd answers: malformed rate-limit waits, gateway errors, bodies too big to read.</summary>
public sealed class PlatformAnswerTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string TelegramToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    private readonly TestData _data = new(database);

    private DeliveryDispatcher Dispatcher => Database.Get<DeliveryDispatcher>();

    private async Task<Guid> ChannelAsync(Guid group, ChannelInput input) =>
        TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group, input, Ct));

    private ChannelInput Slack(string id) => new(ChannelKind.Slack, Url: new Uri(Database.Platforms.BaseAddress, $"slack/{id}").ToString());

    private async Task<Guid> AnnounceAsync(Guid group) =>
        TestData.Succeeded(await Database.Get<AnnouncementService>().ScheduleAsync(TestData.Admin, new AnnouncementInput([group], "Doors open at 20:00"), Ct));

    private async Task<DeliveryRow> DeliveryAsync(Guid announcement) =>
        Assert.Single(TestData.Succeeded(await Database.Get<AnnouncementService>().DeliveriesAsync(TestData.Admin, announcement, Ct)));

    public static TheoryData<string, Reply> MalformedWaits => new()
    {
        { "telegram", new Reply(429, new { ok = false, error_code = 429, parameters = new { retry_after = "soon" } }) },
        { "telegram", new Reply(429, new { ok = false, error_code = 429, parameters = new { retry_after = -3 } }) },
        { "discord", new Reply(429, new { message = "You are being rate limited.", retry_after = new[] { 1 } }) },
        { "discord", new Reply(429, Headers: new Dictionary<string, string> { ["X-RateLimit-Reset-After"] = "NaN" }) },
        { "discord", new Reply(429, Headers: new Dictionary<string, string> { ["X-RateLimit-Reset-After"] = "1e400" }) },
        { "slack", new Reply(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "in a while" }) },
    };

    [Theory]
    [MemberData(nameof(MalformedWaits))]
    public async Task AMalformedRateLimitWait_IsA429WithAMinutesWait_NotAMaybeSent(string platform, Reply reply)
    {
        var group = await _data.GroupAsync();
        var (input, destination) = platform switch
        {
            "telegram" => (new ChannelInput(ChannelKind.Telegram, Token: TelegramToken, ChatId: "-1001234567890"), TelegramToken),
            "discord" => (new ChannelInput(ChannelKind.Discord, Url: new Uri(Database.Platforms.BaseAddress, "discord/D9").ToString()), "D9"),
            _ => (Slack("S9"), "S9"),
        };
        await ChannelAsync(group, input);
        Database.Platforms.Script(destination, reply);
        var announcement = await AnnounceAsync(group);

        await Dispatcher.RunOnceAsync(Ct);
        var waiting = await DeliveryAsync(announcement);
        Database.Clock.Advance(RetryAfter.Malformed - TimeSpan.FromSeconds(1));
        await Dispatcher.RunOnceAsync(Ct);

        Assert.Equal((DeliveryStatus.Scheduled, 1), (waiting.Status, waiting.Attempts));
        Assert.Equal(1, Database.Platforms.CountFor(destination)); // the wait held
        Database.Clock.Advance(TimeSpan.FromSeconds(2));
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal((DeliveryStatus.Sent, 2), ((await DeliveryAsync(announcement)).Status, (await DeliveryAsync(announcement)).Attempts));
    }

    [Fact]
    public async Task AnAbsurdRetryAfter_IsCappedAtAnHour_AndThePostExpiresAtItsDeadline()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, new ChannelInput(ChannelKind.Telegram, Token: TelegramToken, ChatId: "-1001234567890"));
        Database.Platforms.Script(TelegramToken, new Reply(429, new { ok = false, error_code = 429, parameters = new { retry_after = 1e300 } }));
        var announcement = await AnnounceAsync(group);
        Database.Clock.Advance(TimeSpan.FromSeconds(1));

        await Dispatcher.RunOnceAsync(Ct);

        Assert.Equal(DeliveryStatus.Expired, (await DeliveryAsync(announcement)).Status); // an hour's wait passes its deadline
        Assert.Equal(RetryAfter.Longest, RetryAfter.FromSeconds(1e300));
    }

    [Fact]
    public async Task AWeComErrcodeThatIsNotANumber_IsMarkedForChecking_InsteadOfThrowing()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, new ChannelInput(ChannelKind.WeCom, Key: "robot-key-odd"));
        Database.Platforms.Script("robot-key-odd", new Reply(200, new { errcode = "45009", errmsg = "api freq out of limit" }));
        var announcement = await AnnounceAsync(group);

        await Dispatcher.RunOnceAsync(Ct);

        Assert.Equal(DeliveryStatus.NeedsCheck, (await DeliveryAsync(announcement)).Status); // a 200 it cannot read may have been posted
    }

    [Theory]
    [InlineData(502, true)]
    [InlineData(504, true)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public async Task AGatewayError_MayHavePosted_SoItIsCheckedNotResent(int status, bool mayHavePosted)
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, Slack("G1"));
        Database.Platforms.Script("G1", new Reply(status, new { error = "upstream" }));
        var announcement = await AnnounceAsync(group);

        await Dispatcher.RunOnceAsync(Ct);
        Database.Clock.Advance(TimeSpan.FromMinutes(5));
        await Dispatcher.RunOnceAsync(Ct);

        var delivery = await DeliveryAsync(announcement);
        if (mayHavePosted)
        {
            Assert.Equal((DeliveryStatus.NeedsCheck, 1), (delivery.Status, Database.Platforms.CountFor("G1")));
            Assert.Contains($"{status} from a gateway", delivery.LastResponse, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal((DeliveryStatus.Sent, 2), (delivery.Status, Database.Platforms.CountFor("G1"))); // backed off, then sent
        }
    }

    [Fact]
    public async Task AHugeAnswer_IsReadOnlyUpToTheCap_AndStillCountsAsSent()
    {
        const long fiftyMegabytes = 50L * 1024 * 1024;
        var group = await _data.GroupAsync();
        await ChannelAsync(group, Slack("big"));
        Database.Platforms.Script("big", Reply.LargeBody(200, fiftyMegabytes));
        var announcement = await AnnounceAsync(group);

        await Dispatcher.RunOnceAsync(Ct);

        var delivery = await DeliveryAsync(announcement);
        Assert.Equal(DeliveryStatus.Sent, delivery.Status);
        Assert.Equal(SendOutcome.StoredResponseLength, delivery.LastResponse.Length);
        await WaitUntilAsync(() => !Database.Platforms.LargeBodies.IsEmpty);
        var (written, complete) = Assert.Single(Database.Platforms.LargeBodies);
        Assert.False(complete, $"the app read the whole body ({written} bytes) instead of hanging up after {SafeHttp.MaxResponseBytes}");
    }

    [Fact]
    public async Task AnEndlessAnswer_IsCutAtTheCap_AndItsStatusStillDecides()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, new ChannelInput(ChannelKind.Telegram, Token: TelegramToken, ChatId: "-1001234567890"));
        Database.Platforms.Script(TelegramToken, Reply.LargeBody(500, long.MaxValue));
        var announcement = await AnnounceAsync(group);

        await Dispatcher.RunOnceAsync(Ct);

        var delivery = await DeliveryAsync(announcement);
        Assert.Equal((DeliveryStatus.Scheduled, 1), (delivery.Status, delivery.Attempts)); // a 500: not sent, tried again later
        Assert.StartsWith("aaaa", delivery.LastResponse, StringComparison.Ordinal);
        Database.Clock.Advance(TimeSpan.FromSeconds(5));
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal(DeliveryStatus.Sent, (await DeliveryAsync(announcement)).Status);
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
