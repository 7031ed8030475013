using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.IntegrationTests.Announcements;

public sealed class AnnouncementApiTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    [Fact]
    public async Task Contract_AddsAChannel_SchedulesAnAnnouncement_AndReportsItsDeliveries()
    {
        var group = await _data.GroupAsync();
        var hook = new Uri(Database.Platforms.BaseAddress, "hook/contract").ToString();

        var channel = await Api.PostAsJsonAsync($"/api/v1/groups/{group}/channels", new { kind = "Webhook", url = hook, secret = PlatformServer.WebhookSecret }, Ct);
        Assert.Equal(HttpStatusCode.Created, channel.StatusCode);
        var sendAt = DateTimeOffset.UtcNow.AddMinutes(30);
        var created = await Api.PostAsJsonAsync("/api/v1/announcements", new { groupIds = new[] { group }, text = "Group-buy Friday 20:00 in {group}", sendAt }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        var deliveries = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/announcements/{id}/deliveries", Ct);

        var delivery = Assert.Single(deliveries.EnumerateArray());
        Assert.Equal("Scheduled", delivery.GetProperty("status").GetString());
        Assert.Equal(0, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(sendAt, delivery.GetProperty("dueAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.True(delivery.TryGetProperty("sentAt", out _));
        Assert.Equal("Tea lovers", delivery.GetProperty("groupName").GetString());

        var cancelled = await Api.PostAsync($"/api/v1/announcements/{id}/cancel", null, Ct);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(1, (await cancelled.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("postsCancelled").GetInt32());
        var after = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/announcements/{id}/deliveries", Ct);
        Assert.Equal("Cancelled", Assert.Single(after.EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Contract_AnEventIsReadAsWritten_AndRevisedInPlace()
    {
        var group = await _data.GroupAsync();
        var startsAt = DateTimeOffset.UtcNow.AddDays(5).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var created = await Api.PostAsJsonAsync("/api/v1/events", new { groupIds = new[] { group }, title = "Member day", startsAt }, Ct);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        var asWritten = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/events/{id}", Ct);
        Assert.Equal((startsAt, "Member day"), (asWritten.GetProperty("startsAt").GetString(), asWritten.GetProperty("title").GetString()));

        var afterStart = await Api.PutAsJsonAsync($"/api/v1/events/{id}",
            new { groupIds = new[] { group }, title = "Member day", startsAt, plan = new { steps = new[] { new { minutesBefore = -5 } } } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, afterStart.StatusCode);
        Assert.Equal("step_after_start", (await afterStart.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());

        var revised = await Api.PutAsJsonAsync($"/api/v1/events/{id}",
            new { groupIds = new[] { group }, title = "Member day: 2 hours", startsAt, plan = new { steps = new[] { new { minutesBefore = 120 }, new { minutesBefore = 0 } } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        Assert.Equal(2, (await revised.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("posts").GetArrayLength());
        var deliveries = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/announcements/{id}/deliveries", Ct);
        Assert.Empty(deliveries.EnumerateArray()); // the group has no channels: its posts go to the in-app feed only
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/api/v1/events/{Guid.NewGuid()}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("""{"kind":"WeCom","key":"short"}""", "invalid_key", "key")]
    [InlineData("""{"kind":"Telegram","token":"123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw","chatId":"my group"}""", "invalid_chat_id", "chatId")]
    [InlineData("""{"kind":"Webhook","url":"ftp://example.com/x","secret":"short"}""", "invalid_url", "url")]
    [InlineData("""{"kind":"Pager"}""", "unknown_kind", "kind")]
    public async Task AddingAChannel_WithBadSettings_SaysWhichField(string json, string code, string field)
    {
        var group = await _data.GroupAsync();

        var response = await Api.PostAsync($"/api/v1/groups/{group}/channels", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Announcements_WithBadInput_ScheduleNothing_AndSayWhy()
    {
        var group = await _data.GroupAsync();
        await Database.Get<ChannelService>().AddAsync(TestData.Admin, group, new ChannelInput(ChannelKind.WeCom, Key: "robot-key-0001"), Ct);

        var tooLong = await CodeAndDetailAsync(new { groupIds = new[] { group }, text = new string('字', 1000) });
        var unknown = await CodeAndDetailAsync(new { groupIds = new[] { group }, text = "Starts {strats_at}" });
        var past = await CodeAndDetailAsync(new { groupIds = new[] { group }, text = "Hi", sendAt = DateTimeOffset.UtcNow.AddHours(-1) });
        var empty = await CodeAndDetailAsync(new { groupIds = Array.Empty<Guid>(), text = " " });

        Assert.Equal("text_too_long_for_platform", tooLong.Code);
        Assert.Contains("2048 bytes", tooLong.Detail, StringComparison.Ordinal);
        Assert.Equal("unknown_placeholder", unknown.Code);
        Assert.Equal("send_at_in_past", past.Code);
        Assert.Equal("text_required", empty.Code);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Empty(db.Posts);
    }

    [Fact]
    public async Task TestMessage_ShowsThePlatformsOwnError()
    {
        var group = await _data.GroupAsync();
        var channel = TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group, new ChannelInput(ChannelKind.WeCom, Key: "robot-key-revoked"), Ct));
        Database.Platforms.Script("robot-key-revoked", Reply.WeComError(93000, "invalid webhook url"));

        var outcome = TestData.Succeeded(await Database.Get<ChannelService>().SendTestAsync(TestData.Admin, channel, Ct));

        Assert.Equal(SendResult.Failed, outcome.Result);
        Assert.Contains("invalid webhook url", outcome.Response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboundRequests_ToPrivateAddresses_AreRefused_UnlessAllowed()
    {
        await using var services = new ServiceCollection().AddLogging()
            .AddCommunityFunnelApplication("Host=unused") // the production registration, as a deployment configures it
            .Configure<ChannelOptions>(options => PostgresFixture.ConfigureChannels(options, Database.Platforms.BaseAddress))
            .Configure<ChannelOptions>(options => options.AllowPrivateAddresses = false)
            .BuildServiceProvider();
        var webhook = services.GetServices<IChannelConnector>().Single(c => c.Kind == ChannelKind.Webhook);

        var outcome = await webhook.SendAsync(new ChannelSecret(Url: new Uri(Database.Platforms.BaseAddress, "hook/ssrf").ToString(), Secret: "x"), null,
            new OutboundPost(Guid.NewGuid(), Guid.NewGuid(), "hi", DateTimeOffset.UtcNow), Departure.Now, Ct);

        Assert.Equal(SendResult.Failed, outcome.Result);
        Assert.Contains("private or loopback", outcome.Response, StringComparison.Ordinal);
        Assert.Empty(Database.Platforms.Received);
    }

    private async Task<(string? Code, string Detail)> CodeAndDetailAsync(object body)
    {
        var response = await Api.PostAsJsonAsync("/api/v1/announcements", body, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (problem.GetProperty("code").GetString(), problem.GetProperty("detail").GetString() ?? "");
    }
}
