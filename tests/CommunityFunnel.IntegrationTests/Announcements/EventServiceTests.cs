using CommunityFunnel.Application.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Announcements;

public sealed class EventServiceTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private EventService Events => Database.Get<EventService>();

    private async Task<(Guid Shanghai, Guid Madrid)> GroupsWithWebhooksAsync()
    {
        var shanghai = await _data.GroupAsync("上海茶友会", "CNY", "Asia/Shanghai");
        var madrid = await _data.GroupAsync("Madrid Café", "EUR", "Europe/Madrid");
        foreach (var (group, hook) in new[] { (shanghai, "sh"), (madrid, "md") })
        {
            TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group,
                new ChannelInput(ChannelKind.Webhook, Url: new Uri(Database.Platforms.BaseAddress, $"hook/{hook}").ToString(), Secret: PlatformServer.WebhookSecret), Ct));
        }

        return (shanghai, madrid);
    }

    [Fact]
    public async Task CreateAsync_StartsAtTheLocalTimeOfEachGroup_WithTheDefaultCountdown_InEachGroupsLanguage()
    {
        var (shanghai, madrid) = await GroupsWithWebhooksAsync();

        var scheduled = TestData.Succeeded(await Events.CreateAsync(TestData.Admin,
            new EventInput([shanghai, madrid], "Flash sale", "2026-03-30T20:00", Link: "https://shop.example/fs/1"), Ct));

        var sh = scheduled.Posts.Where(p => p.GroupId == shanghai).ToList();
        var md = scheduled.Posts.Where(p => p.GroupId == madrid).ToList();
        Assert.Equal(6, sh.Count);
        Assert.Equal(6, md.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 12, 0, 0, TimeSpan.Zero), sh[^1].DueAt); // 20:00 in Shanghai
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 18, 0, 0, TimeSpan.Zero), md[^1].DueAt); // 20:00 in Madrid (summer time)
        Assert.Equal(new DateTimeOffset(2026, 3, 27, 19, 0, 0, TimeSpan.Zero), md[0].DueAt); // 20:00 in Madrid (winter time)
        Assert.Contains("3天后", sh[0].Text, StringComparison.Ordinal);
        Assert.Contains("en 3 días", md[0].Text, StringComparison.Ordinal);
        Assert.Contains("https://shop.example/fs/1", md[0].Text, StringComparison.Ordinal);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(12, await db.Deliveries.CountAsync(Ct));
    }

    [Fact]
    public async Task EventPosts_GoOutOneByOne_AtTheirTimes_AndMissedOnesExpire()
    {
        var (shanghai, _) = await GroupsWithWebhooksAsync();
        var start = Database.Clock.GetUtcNow().AddDays(4);
        var posts = TestData.Succeeded(await Events.CreateAsync(TestData.Admin, new EventInput([shanghai], "Group-buy", start.ToString("O")), Ct)).Posts;
        var dispatcher = Database.Get<DeliveryDispatcher>();

        await dispatcher.RunOnceAsync(Ct);
        Assert.Empty(Database.Platforms.Received);

        foreach (var (post, sent) in posts.Select((p, i) => (p, i + 1)).Take(3))
        {
            Database.Clock.SetUtcNow(post.DueAt);
            await dispatcher.RunOnceAsync(Ct);
            Assert.Equal(sent, Database.Platforms.CountFor("sh"));
            Assert.Equal(post.Text, Database.Platforms.Received.Last().Text);
        }

        Database.Clock.SetUtcNow(start.AddMinutes(20)); // the app was down for the last hour: those posts no longer matter
        await dispatcher.RunOnceAsync(Ct);
        Assert.Equal(3, Database.Platforms.CountFor("sh"));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(3, await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Expired, Ct));
    }

    [Fact]
    public async Task CancellingAnEvent_CallsOffTheRestOfItsCountdown_WhileWhatWentOutStays()
    {
        var (shanghai, madrid) = await GroupsWithWebhooksAsync();
        var start = Database.Clock.GetUtcNow().AddDays(4);
        var scheduled = TestData.Succeeded(await Events.CreateAsync(TestData.Admin, new EventInput([shanghai, madrid], "Member day", start.ToString("O")), Ct));
        var dispatcher = Database.Get<DeliveryDispatcher>();
        Database.Clock.SetUtcNow(scheduled.Posts.Min(p => p.DueAt));
        await dispatcher.RunOnceAsync(Ct);
        var sentBefore = Database.Platforms.Received.Count;
        Assert.True(sentBefore >= 1);

        var announcements = Database.Get<AnnouncementService>();
        var operatorOfOne = await _data.OperatorAsync("op@test.local", shanghai);
        Assert.Equal(FailureKind.Forbidden, (await announcements.CancelAsync(operatorOfOne, scheduled.Id, Ct)).Failure!.Kind);
        var cancelled = TestData.Succeeded(await announcements.CancelAsync(TestData.Admin, scheduled.Id, Ct));

        Assert.Equal((scheduled.Posts.Count - sentBefore, sentBefore), (cancelled.PostsCancelled, cancelled.PostsAlreadyOut));
        Database.Clock.SetUtcNow(start.AddMinutes(1));
        await dispatcher.RunOnceAsync(Ct);
        Assert.Equal(sentBefore, Database.Platforms.Received.Count);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(sentBefore, await db.FeedItems.CountAsync(Ct));
        var rows = TestData.Succeeded(await announcements.DeliveriesAsync(TestData.Admin, scheduled.Id, Ct));
        Assert.Equal(scheduled.Posts.Count - sentBefore, rows.Count(r => r.Status == DeliveryStatus.Cancelled));
        Assert.Equal(["Madrid Café", "上海茶友会"], rows.Select(r => r.GroupName).Distinct().Order(StringComparer.Ordinal));
        var timeline = await Database.Get<AnnouncementBoard>().TimelineAsync(TestData.Admin, null, start.AddDays(-5), start.AddDays(1), Ct);
        Assert.Equal(sentBefore, timeline.Count(r => r.AnnouncementId == scheduled.Id)); // what is left to see is what went out
    }

    [Fact]
    public async Task RevisingAnEvent_ReplacesTheWaitingCountdown_KeepsWhatWentOut_AndNeverRepeatsIt()
    {
        var (shanghai, madrid) = await GroupsWithWebhooksAsync();
        var day = DateOnly.FromDateTime(Database.Clock.GetUtcNow().UtcDateTime).AddDays(4).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var created = TestData.Succeeded(await Events.CreateAsync(TestData.Admin, new EventInput([shanghai, madrid], "Member day", $"{day}T20:00"), Ct));
        var dispatcher = Database.Get<DeliveryDispatcher>();
        Database.Clock.SetUtcNow(created.Posts.Min(p => p.DueAt)); // Shanghai's "3 days before, 20:00" goes out
        await dispatcher.RunOnceAsync(Ct);
        var firstPost = Assert.Single(Database.Platforms.Received).Text;

        var asWritten = TestData.Succeeded(await Events.GetAsync(TestData.Admin, created.Id, Ct));
        Assert.Equal(($"{day}T20:00", null, EventService.DefaultTemplate), (asWritten.StartsAt, asWritten.Plan?.Steps, asWritten.Plan?.Template));

        var revision = asWritten with
        {
            Title = "Member day (extended)",
            StartsAt = $"{day}T21:00",
            Plan = new PlanInput(Steps: [new PlanStepInput(DaysBefore: 3, At: "20:00"), new PlanStepInput(MinutesBefore: 30)], Template: "{event} {countdown}"),
        };
        var operatorOfOne = await _data.OperatorAsync("op@test.local", shanghai);
        Assert.Equal(FailureKind.Forbidden, (await Events.ReviseAsync(operatorOfOne, created.Id, revision, Ct)).Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, (await Events.ReviseAsync(TestData.Admin, Guid.NewGuid(), revision, Ct)).Failure!.Kind);
        Assert.Equal("title", Assert.Single((await Events.ReviseAsync(TestData.Admin, created.Id, revision with { Title = " " }, Ct)).Failure!.Violations).Field);
        var rows = TestData.Succeeded(await Database.Get<AnnouncementService>().DeliveriesAsync(TestData.Admin, created.Id, Ct));
        Assert.Equal(created.Posts.Count - 1, rows.Count(r => r.Status == DeliveryStatus.Scheduled)); // refused revisions changed nothing

        var revised = TestData.Succeeded(await Events.ReviseAsync(TestData.Admin, created.Id, revision, Ct));

        // Shanghai's 3-days step is the one that just went out: only its 30-minutes step is left; Madrid gets both.
        Assert.Equal([(madrid, 2), (shanghai, 1)], revised.Posts.GroupBy(p => p.GroupId).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key == shanghai));
        Assert.All(revised.Posts, p => Assert.StartsWith("Member day (extended) ", p.Text, StringComparison.Ordinal));
        rows = TestData.Succeeded(await Database.Get<AnnouncementService>().DeliveriesAsync(TestData.Admin, created.Id, Ct));
        Assert.Equal((1, created.Posts.Count - 1, 3), (rows.Count(r => r.Status == DeliveryStatus.Sent), rows.Count(r => r.Status == DeliveryStatus.Cancelled),
            rows.Count(r => r.Status == DeliveryStatus.Scheduled)));
        Assert.Equal("Member day (extended)", TestData.Succeeded(await Events.GetAsync(TestData.Admin, created.Id, Ct)).Title);

        foreach (var due in revised.Posts.Select(p => p.DueAt).Order())
        {
            Database.Clock.SetUtcNow(due);
            await dispatcher.RunOnceAsync(Ct);
        }

        Assert.Equal(4, Database.Platforms.Received.Count);
        Assert.Single(Database.Platforms.Received, r => r.Text == firstPost);
        await using var db = await Database.CreateDbContextAsync();
        var shanghaiStart = await db.EventOccurrences.Where(o => o.EventId == created.Id && o.GroupId == shanghai).Select(o => o.StartsAt).SingleAsync(Ct);
        Assert.Equal(21, shanghaiStart.ToOffset(TimeSpan.FromHours(8)).Hour);
    }

    [Fact]
    public async Task TwoRevisionsSavedAtOnce_LeaveOneCountdown_NotTwo()
    {
        var (shanghai, madrid) = await GroupsWithWebhooksAsync();
        var startsAt = Database.Clock.GetUtcNow().AddDays(5).ToString("O");
        var created = TestData.Succeeded(await Events.CreateAsync(TestData.Admin, new EventInput([shanghai, madrid], "Member day", startsAt), Ct));

        var revisions = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => Task.Run(() =>
            Events.ReviseAsync(TestData.Admin, created.Id, new EventInput([shanghai, madrid], $"Member day, take {i}", startsAt), Ct))));

        Assert.All(revisions, r => Assert.True(r.Succeeded));
        var rows = TestData.Succeeded(await Database.Get<AnnouncementService>().DeliveriesAsync(TestData.Admin, created.Id, Ct));
        Assert.Equal(created.Posts.Count, rows.Count(r => r.Status == DeliveryStatus.Scheduled)); // one countdown's worth, one per channel
        await using var db = await Database.CreateDbContextAsync();
        Assert.Single((await db.Posts.Where(p => p.AnnouncementId == created.Id && p.CancelledAt == null).Select(p => p.Text).ToListAsync(Ct))
            .Select(text => text.Split(':')[0]).Distinct());
    }

    [Fact]
    public async Task PreviewAsync_ShowsThePostsAndWritesNothing()
    {
        var (shanghai, _) = await GroupsWithWebhooksAsync();

        var preview = TestData.Succeeded(await Events.PreviewAsync(TestData.Admin, new EventInput([shanghai], "Member day", "2026-03-20T10:00",
            Plan: new PlanInput(Steps: [new PlanStepInput(DaysBefore: 1, At: "09:30"), new PlanStepInput(MinutesBefore: 0)], Template: "{group}: {event} {countdown}")), Ct));

        Assert.Equal(["上海茶友会: Member day 1天后", "上海茶友会: Member day 现在"], preview.Posts.Select(p => p.Text));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(0, await db.Posts.CountAsync(Ct));
    }

    [Theory]
    [InlineData("2026-02-01T20:00", null, null, "event_in_past")]
    [InlineData("2026-03-30T20:00", "2026-03-30T19:00", null, "ends_before_start")]
    [InlineData("tomorrow at eight", null, null, "invalid_time")]
    [InlineData("2026-03-30T20:00", null, -5, "step_after_start")]
    public async Task CreateAsync_RefusesImpossibleTimes_AndSchedulesNothing(string startsAt, string? endsAt, int? minutesBefore, string code)
    {
        var (shanghai, _) = await GroupsWithWebhooksAsync();
        var plan = minutesBefore is { } m ? new PlanInput(Steps: [new PlanStepInput(MinutesBefore: m)]) : null;

        var result = await Events.CreateAsync(TestData.Admin, new EventInput([shanghai], "Sale", startsAt, endsAt, Plan: plan), Ct);

        Assert.Equal(code, result.Failure?.Code);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(0, await db.Posts.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_RefusesUnknownPlaceholdersAndEmptyPlans()
    {
        var (shanghai, _) = await GroupsWithWebhooksAsync();

        var typo = await Events.CreateAsync(TestData.Admin, new EventInput([shanghai], "Sale", "2026-03-30T20:00", Plan: new PlanInput(Template: "{evnt} soon")), Ct);
        var empty = await Events.CreateAsync(TestData.Admin, new EventInput([shanghai], "Sale", "2026-03-30T20:00", Plan: new PlanInput(Steps: [])), Ct);

        Assert.Equal(("unknown_placeholder", "plan.template"), (typo.Failure?.Code, typo.Failure?.Violations[0].Field));
        Assert.Equal("plan_empty", empty.Failure?.Code);
    }

    [Fact]
    public async Task Api_CreatesAnEvent_AndReturnsItsPostsPerGroup()
    {
        var (shanghai, madrid) = await GroupsWithWebhooksAsync();
        var startsAt = DateTime.UtcNow.Date.AddDays(10).AddHours(20).ToString("yyyy-MM-ddTHH:mm");

        var response = await Database.App.ApiClient().PostAsJsonAsync("/api/v1/events",
            new { groupIds = new[] { shanghai, madrid }, title = "周五团购", startsAt, link = "https://shop.example/gb" }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var posts = body.GetProperty("posts").EnumerateArray().ToList();
        Assert.Equal(12, posts.Count);
        Assert.All(posts, p => Assert.True(p.TryGetProperty("groupId", out _) && p.TryGetProperty("dueAt", out _)));
        var deliveries = await Database.App.ApiClient().GetFromJsonAsync<JsonElement>($"/api/v1/announcements/{body.GetProperty("id").GetGuid()}/deliveries", Ct);
        Assert.Equal(12, deliveries.GetArrayLength());
    }
}
