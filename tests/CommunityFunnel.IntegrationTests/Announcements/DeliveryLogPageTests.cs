using System.Net;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;
using static CommunityFunnel.IntegrationTests.Infrastructure.TestData;

namespace CommunityFunnel.IntegrationTests.Announcements;

/// <summary>The delivery log as an operator reads it: each post's text, its time in the group's zone, and plain words.</summary>
public sealed class DeliveryLogPageTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task APostDueInThreeDays_ShowsItsTextAndGroupTime_AndWillGo_InsteadOfWent()
    {
        var group = await _data.GroupAsync("Tea lovers", timeZone: "Europe/Berlin");
        var dueAt = new DateTimeOffset(2026, 3, 4, 19, 0, 0, TimeSpan.Zero); // 20:00 in Berlin
        var announcement = Succeeded(await Database.Get<AnnouncementService>().ScheduleAsync(Admin, new AnnouncementInput([group], "Tasting night on Wednesday", dueAt), Ct));
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);

        var html = await AdminPageAsync($"/announcements/{announcement}");

        Assert.Contains("Tasting night on Wednesday", html, StringComparison.Ordinal);
        Assert.Contains("Wed 2026-03-04 20:00", html, StringComparison.Ordinal);
        Assert.Contains("Europe/Berlin", html, StringComparison.Ordinal);
        Assert.Contains("went to its in-app feed only", html, StringComparison.Ordinal); // 2026-03-04 is past for the app's real clock

        var later = Succeeded(await Database.Get<AnnouncementService>().ScheduleAsync(Admin, new AnnouncementInput([group], "Next week's tasting", DateTimeOffset.UtcNow.AddDays(3)), Ct));
        Assert.Contains("will go to its in-app feed only", await AdminPageAsync($"/announcements/{later}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statuses_AreWordsForPeople_NotEnumNames()
    {
        var group = await _data.GroupAsync("Tea lovers");
        Succeeded(await Database.Get<ChannelService>().AddAsync(Admin, group, new ChannelInput(ChannelKind.Assisted, Name: "Host phone"), Ct));
        var announcement = Succeeded(await Database.Get<AnnouncementService>().ScheduleAsync(Admin, new AnnouncementInput([group], "Doors open", PostgresFixture.Start.AddMinutes(5)), Ct));
        await Database.Get<DeliveryDispatcher>().RunOnceAsync(Ct);
        Database.Clock.Advance(TimeSpan.FromMinutes(10));
        await Database.Get<DeliveryDispatcher>().RunOnceAsync(Ct);

        var html = await AdminPageAsync($"/announcements/{announcement}");

        Assert.Contains("Waiting for you to post it", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">AwaitingOperator<", html, StringComparison.Ordinal);
    }

    private async Task<string> AdminPageAsync(string path)
    {
        using var browser = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        var response = await browser.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }
}
