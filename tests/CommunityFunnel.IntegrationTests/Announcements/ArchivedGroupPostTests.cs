using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Announcements;

/// <summary>An archived group gets no posts: none can be scheduled, and those scheduled before the archive are not sent.</summary>
public sealed class ArchivedGroupPostTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private async Task<Guid> GroupWithRobotAsync(string robotKey)
    {
        var group = await _data.GroupAsync();
        TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group, new ChannelInput(ChannelKind.WeCom, Key: robotKey), Ct));
        return group;
    }

    private async Task ArchiveAsync(Guid group) => TestData.Succeeded(await Database.Get<GroupService>().SetArchivedAsync(TestData.Admin, group, true, Ct));

    [Fact]
    public async Task SchedulingAnAnnouncementOrAnEvent_IsRefusedWithGroupArchived_AndWritesNothing()
    {
        var archived = await GroupWithRobotAsync("robot-key-archived");
        var open = await _data.GroupAsync("Still open");
        await ArchiveAsync(archived);
        var api = Database.App.ApiClient();

        var announcement = await api.PostAsJsonAsync("/api/v1/announcements", new { groupIds = new[] { open, archived }, text = "Sale tonight" }, Ct);
        var @event = await api.PostAsJsonAsync("/api/v1/events",
            new { groupIds = new[] { archived }, title = "Member day", startsAt = DateTimeOffset.UtcNow.AddDays(3).ToString("O") }, Ct);

        foreach (var response in new[] { announcement, @event })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("group_archived", problem.GetProperty("code").GetString());
        }

        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal((0, 0, 0), (await db.Posts.CountAsync(Ct), await db.Deliveries.CountAsync(Ct), await db.Events.CountAsync(Ct)));
    }

    [Fact]
    public async Task APostScheduledBeforeTheGroupWasArchived_IsNotSent_AndExpiresAtItsDeadline()
    {
        var group = await GroupWithRobotAsync("robot-key-late");
        var announcement = TestData.Succeeded(await Database.Get<AnnouncementService>().ScheduleAsync(TestData.Admin,
            new AnnouncementInput([group], "Tonight 8 pm", Database.Clock.GetUtcNow().AddMinutes(10)), Ct));
        await ArchiveAsync(group);
        var dispatcher = Database.Get<DeliveryDispatcher>();

        Database.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await dispatcher.RunOnceAsync(Ct));
        Assert.Null(await dispatcher.NextDueAsync(Ct)); // nothing to wake up for, so the loop does not spin on it
        Database.Clock.Advance(AnnouncementService.TooLateAfter + TimeSpan.FromSeconds(1));
        await dispatcher.RunOnceAsync(Ct);

        Assert.Equal(0, Database.Platforms.CountFor("robot-key-late"));
        var delivery = Assert.Single(TestData.Succeeded(await Database.Get<AnnouncementService>().DeliveriesAsync(TestData.Admin, announcement, Ct)));
        Assert.Equal(DeliveryStatus.Expired, delivery.Status);
    }
}
