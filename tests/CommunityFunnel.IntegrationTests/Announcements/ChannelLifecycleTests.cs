using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Announcements;

/// <summary>Operators pause, deactivate and delete channels; the history of what was sent stays readable.</summary>
public sealed class ChannelLifecycleTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private ChannelService Channels => Database.Get<ChannelService>();
    private DeliveryDispatcher Dispatcher => Database.Get<DeliveryDispatcher>();

    private async Task<Guid> RobotAsync(Guid group, string key) =>
        TestData.Succeeded(await Channels.AddAsync(TestData.Admin, group, new ChannelInput(ChannelKind.WeCom, Name: key, Key: key), Ct));

    private async Task<Guid> AnnounceAsync(Guid group, TimeSpan? inFuture = null) =>
        TestData.Succeeded(await Database.Get<AnnouncementService>().ScheduleAsync(TestData.Admin,
            new AnnouncementInput([group], "Doors open at 20:00", Database.Clock.GetUtcNow() + (inFuture ?? TimeSpan.Zero)), Ct));

    private async Task<List<DeliveryRow>> DeliveriesAsync(Guid announcement) =>
        [.. TestData.Succeeded(await Database.Get<AnnouncementService>().DeliveriesAsync(TestData.Admin, announcement, Ct))];

    [Fact]
    public async Task APausedChannel_HoldsItsPosts_UntilResumed()
    {
        var group = await _data.GroupAsync();
        var channel = await RobotAsync(group, "robot-key-paused");
        TestData.Succeeded(await Channels.PauseAsync(TestData.Admin, channel, Ct));
        var announcement = await AnnounceAsync(group); // a paused channel still gets the post, to send once resumed

        Assert.Equal(0, await Dispatcher.RunOnceAsync(Ct));
        Assert.Null(await Dispatcher.NextDueAsync(Ct));
        Assert.Equal(DeliveryStatus.Scheduled, Assert.Single(await DeliveriesAsync(announcement)).Status);
        Assert.True(Assert.Single(TestData.Succeeded(await Channels.ListAsync(TestData.Admin, group, Ct))).IsPaused);

        TestData.Succeeded(await Channels.ResumeAsync(TestData.Admin, channel, Ct));
        await Dispatcher.RunOnceAsync(Ct);

        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await DeliveriesAsync(announcement)).Status);
        Assert.Equal(1, Database.Platforms.CountFor("robot-key-paused"));
    }

    [Fact]
    public async Task APostWaitingOnAPausedChannel_ExpiresAtItsDeadline()
    {
        var group = await _data.GroupAsync();
        var channel = await RobotAsync(group, "robot-key-long-pause");
        var announcement = await AnnounceAsync(group, TimeSpan.FromMinutes(5));
        TestData.Succeeded(await Channels.PauseAsync(TestData.Admin, channel, Ct));

        Database.Clock.Advance(TimeSpan.FromMinutes(5) + AnnouncementService.TooLateAfter + TimeSpan.FromSeconds(1));
        await Dispatcher.RunOnceAsync(Ct);
        TestData.Succeeded(await Channels.ResumeAsync(TestData.Admin, channel, Ct));
        await Dispatcher.RunOnceAsync(Ct);

        Assert.Equal(DeliveryStatus.Expired, Assert.Single(await DeliveriesAsync(announcement)).Status);
        Assert.Equal(0, Database.Platforms.CountFor("robot-key-long-pause"));
    }

    [Fact]
    public async Task Deactivating_CancelsWaitingPosts_AndNewPostsSkipTheChannel_UntilItIsActivated()
    {
        var group = await _data.GroupAsync();
        var off = await RobotAsync(group, "robot-key-off");
        await RobotAsync(group, "robot-key-on");
        var waiting = await AnnounceAsync(group, TimeSpan.FromMinutes(10));

        var changed = TestData.Succeeded(await Channels.DeactivateAsync(TestData.Admin, off, Ct));

        Assert.Equal(1, changed.DeliveriesCancelled);
        Assert.False(changed.Channel.IsActive);
        var rows = await DeliveriesAsync(waiting);
        Assert.Equal(DeliveryStatus.Cancelled, Assert.Single(rows, d => d.ChannelId == off).Status);
        Assert.Equal(DeliveryStatus.Scheduled, Assert.Single(rows, d => d.ChannelId != off).Status);
        Assert.DoesNotContain(await DeliveriesAsync(await AnnounceAsync(group)), d => d.ChannelId == off);

        TestData.Succeeded(await Channels.ActivateAsync(TestData.Admin, off, Ct));
        Assert.Contains(await DeliveriesAsync(await AnnounceAsync(group)), d => d.ChannelId == off);
        Database.Clock.Advance(TimeSpan.FromMinutes(10));
        await Dispatcher.RunOnceAsync(Ct);
        Assert.Equal(1, Database.Platforms.CountFor("robot-key-off")); // the post made after activating; the cancelled one stays cancelled
    }

    [Fact]
    public async Task ChangingAChannel_IsForbidden_ToAnOperatorOfAnotherGroup()
    {
        var group = await _data.GroupAsync();
        var channel = await RobotAsync(group, "robot-key-theirs");
        var stranger = await _data.OperatorAsync("stranger@test.local", await _data.GroupAsync("Another group"));

        foreach (var change in new Func<Task<Result<ChannelChanged>>>[]
                 {
                     () => Channels.PauseAsync(stranger, channel, Ct), () => Channels.DeactivateAsync(stranger, channel, Ct),
                     () => Channels.DeleteAsync(stranger, channel, Ct),
                 })
        {
            Assert.Equal(FailureKind.Forbidden, (await change()).Failure?.Kind);
        }

        var row = Assert.Single(TestData.Succeeded(await Channels.ListAsync(TestData.Admin, group, Ct)));
        Assert.Equal((true, false), (row.IsActive, row.IsPaused));
    }

    [Fact]
    public async Task DeletingAChannel_RemovesItFromTheApi_ButTheDeliveryLogStillNamesIt()
    {
        var api = Database.App.ApiClient();
        var group = await _data.GroupAsync();
        var hook = new Uri(Database.Platforms.BaseAddress, "hook/deleted").ToString();
        var created = await api.PostAsJsonAsync($"/api/v1/groups/{group}/channels", new { kind = "Webhook", name = "Shop system", url = hook, secret = PlatformServer.WebhookSecret }, Ct);
        var channel = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var sent = await api.PostAsJsonAsync("/api/v1/announcements", new { groupIds = new[] { group }, text = "Tonight", sendAt = DateTimeOffset.UtcNow.AddHours(1) }, Ct);
        var announcement = (await sent.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        var deleted = await api.DeleteAsync($"/api/v1/channels/{channel}", Ct);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(1, (await deleted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("deliveriesCancelled").GetInt32());
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{group}/channels", Ct)).EnumerateArray());
        foreach (var again in new[] { api.PostAsync($"/api/v1/channels/{channel}/pause", null, Ct), api.PostAsync($"/api/v1/channels/{channel}/test", null, Ct), api.DeleteAsync($"/api/v1/channels/{channel}", Ct) })
        {
            var response = await again;
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("not_found", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        }

        var log = Assert.Single((await api.GetFromJsonAsync<JsonElement>($"/api/v1/announcements/{announcement}/deliveries", Ct)).EnumerateArray());
        Assert.Equal(("Shop system", true, "Cancelled"), (log.GetProperty("channelName").GetString(), log.GetProperty("channelDeleted").GetBoolean(), log.GetProperty("status").GetString()));
    }
}
