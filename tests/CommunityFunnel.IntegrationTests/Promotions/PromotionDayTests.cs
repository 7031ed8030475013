using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Promotions;
using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.IntegrationTests.Infrastructure;
using CommunityFunnel.IntegrationTests.Rebates;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Promotions;

/// <summary>The member promotion day. The test clock starts on 1 March 2026, 17:00 in Shanghai.</summary>
public sealed class PromotionDayTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    private PromotionDayService Days => Database.Get<PromotionDayService>();

    [Theory]
    [InlineData(0, 2.0, "invalid_day_of_month", "dayOfMonth")]
    [InlineData(32, 2.0, "invalid_day_of_month", "dayOfMonth")]
    [InlineData(18, 0.5, "invalid_multiplier", "multiplier")]
    [InlineData(18, 11.0, "invalid_multiplier", "multiplier")]
    public async Task BadDaysAndMultipliers_AreRefused_AndNothingIsSaved(int day, double multiplier, string code, string field)
    {
        var group = await _data.GroupAsync();

        var response = await Api.PutAsJsonAsync($"/api/v1/groups/{group}/promotion-day", new { dayOfMonth = day, multiplier }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Contains(field, problem.GetRawText(), StringComparison.Ordinal);
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.PromotionDays.AnyAsync(Ct));
    }

    [Fact]
    public async Task AGiftInAnotherCurrency_IsRefusedOnTheGiftField_AndNothingIsSaved()
    {
        var group = await _data.GroupAsync();
        var euros = await _data.ProductAsync(FunnelStage.Low, 9.9m, "EUR");

        var refused = await Days.SetAsync(TestData.Admin, group, 18, 2m, euros, Ct);

        Assert.Equal(("currency_mismatch", "giftProductId"), (refused.Failure?.Code, refused.Failure?.Violations[0].Field));
        Assert.Null(TestData.Succeeded(await Days.GetAsync(TestData.Admin, group, Ct)));
    }

    [Fact]
    public async Task SavingADay_AnnouncesItsNextOccurrenceOnce_ThroughTheEventEngine()
    {
        var group = await _data.GroupAsync("上海茶友会");

        var saved = TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 31, 2m, null, Ct));

        Assert.Equal((new DateOnly(2026, 3, 31), 31), (saved.NextDate, saved.DayOfMonth));
        Assert.Equal(0, await Database.Get<PromotionDayScheduler>().ScheduleAsync(Ct));
        Database.Clock.Advance(TimeSpan.FromDays(30)); // 31 March, 17:00: under way, so April's (the 30th, its last day) is next
        Assert.Equal(1, await Database.Get<PromotionDayScheduler>().ScheduleAsync(Ct));
        await using var db = await Database.CreateDbContextAsync();
        var events = await db.Events.AsNoTracking().OrderBy(e => e.StartsAt).Select(e => new { e.Title, e.StartsAt }).ToListAsync(Ct);
        Assert.Equal(new[] { "会员推广日", "会员推广日" }, events.Select(e => e.Title).ToArray());
        Assert.Equal(new[] { "2026-03-31T10:00", "2026-04-30T10:00" }, events.Select(e => e.StartsAt).ToArray()); // wall times in the group's zone
    }

    [Fact]
    public async Task TheApi_SetsAndReadsTheDay()
    {
        var group = await _data.GroupAsync();

        var put = await Api.PutAsJsonAsync($"/api/v1/groups/{group}/promotion-day", new { dayOfMonth = 18, multiplier = 2 }, Ct);
        var got = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{group}/promotion-day", Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal((18, 2m), (got.GetProperty("dayOfMonth").GetInt32(), got.GetProperty("multiplier").GetDecimal()));
        Assert.Equal(18, DateOnly.Parse(got.GetProperty("nextDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Day);
    }

    [Fact]
    public async Task ChangingTheDay_CallsOffTheOldDaysCountdown_SoNoneOfItsPostsGoesOut_AndAnnouncesTheNewDay()
    {
        var group = await _data.GroupAsync();
        await ChannelAsync(group, "robot-key-promotion");
        var old = TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 18, 2m, null, Ct)).NextEventId!.Value;

        var moved = TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 25, 2m, null, Ct));

        Assert.Equal(new DateOnly(2026, 3, 25), moved.NextDate);
        Assert.NotEqual(old, moved.NextEventId);
        var oldPosts = await PostsAsync(old);
        Assert.Equal(6, oldPosts.Count); // the default countdown: 3 days at 10:00, then 1 h, 10 min and at the start
        Assert.All(oldPosts, p => Assert.NotNull(p.CancelledAt));
        foreach (var dueAt in oldPosts.Select(p => p.DueAt).Order())
        {
            Database.Clock.SetUtcNow(dueAt); // each old post's moment comes, and the dispatcher runs then
            await Database.Get<DeliveryDispatcher>().RunOnceAsync(Ct);
        }

        Assert.Empty(Database.Platforms.Received);
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.False(await db.FeedItems.AnyAsync(Ct));
            Assert.Contains("called off (6 posts)", await db.AuditEntries.Where(a => a.Action == "promotion-day.saved").OrderByDescending(a => a.Id).Select(a => a.Details).FirstAsync(Ct), StringComparison.Ordinal);
        }

        var newPosts = await PostsAsync(moved.NextEventId!.Value);
        Database.Clock.SetUtcNow(newPosts.Min(p => p.DueAt)); // the new day's countdown does go out
        await Database.Get<DeliveryDispatcher>().RunOnceAsync(Ct);
        Assert.Equal(1, Database.Platforms.CountFor("robot-key-promotion"));
    }

    [Fact]
    public async Task ChangingOrRemovingTheDay_LeavesACountdownEventThatHasStarted()
    {
        var group = await _data.GroupAsync();
        var running = TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 18, 2m, null, Ct)).NextEventId!.Value;
        Database.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 18, 4, 0, 0, TimeSpan.Zero)); // 12:00 in Shanghai: the day is under way

        var moved = TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 25, 2m, null, Ct));
        TestData.Succeeded(await Days.RemoveAsync(TestData.Admin, group, Ct));

        Assert.Equal(new DateOnly(2026, 3, 25), moved.NextDate);
        Assert.All(await PostsAsync(running), p => Assert.Null(p.CancelledAt));
        Assert.All(await PostsAsync(moved.NextEventId!.Value), p => Assert.NotNull(p.CancelledAt)); // removing calls off the one not started
    }

    [Fact]
    public async Task ChangingOnlyTheMultiplierOrGift_KeepsTheAnnouncedCountdown_WhichThenDescribesTheNewMultiplier()
    {
        var group = await _data.GroupAsync();
        var gift = await _data.ProductAsync(FunnelStage.Low, 29.9m);
        var announced = TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 18, 2m, null, Ct)).NextEventId!.Value;
        var events = Database.Get<EventService>();
        Assert.Contains("x2", TestData.Succeeded(await events.GetAsync(TestData.Admin, announced, Ct)).Description, StringComparison.Ordinal);

        var changed = TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 18, 3m, gift, Ct));

        Assert.Equal((announced, 3m, gift), (changed.NextEventId, changed.Multiplier, changed.GiftProductId));
        Assert.All(await PostsAsync(announced), p => Assert.Null(p.CancelledAt));
        Assert.Contains("x3", TestData.Succeeded(await events.GetAsync(TestData.Admin, announced, Ct)).Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewMultiplier_LeavesACountdownWhoseDescriptionAnOperatorRewrote()
    {
        var group = await _data.GroupAsync();
        var announced = TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 18, 2m, null, Ct)).NextEventId!.Value;
        var events = Database.Get<EventService>();
        var input = TestData.Succeeded(await events.GetAsync(TestData.Admin, announced, Ct));
        TestData.Succeeded(await events.ReviseAsync(TestData.Admin, announced, input with { Description = "Bring a friend, get double!" }, Ct));

        TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 18, 3m, null, Ct));

        Assert.Equal("Bring a friend, get double!", TestData.Succeeded(await events.GetAsync(TestData.Admin, announced, Ct)).Description);
    }

    [Fact]
    public async Task TheApi_RemovesTheDay_WithItsCountdown_AndAnswers204_EvenWhenThereIsNone()
    {
        var group = await _data.GroupAsync();
        await Api.PutAsJsonAsync($"/api/v1/groups/{group}/promotion-day", new { dayOfMonth = 18, multiplier = 2 }, Ct);
        var announced = TestData.Succeeded(await Days.GetAsync(TestData.Admin, group, Ct))!.NextEventId!.Value;

        var removed = await Api.DeleteAsync($"/api/v1/groups/{group}/promotion-day", Ct);
        var again = await Api.DeleteAsync($"/api/v1/groups/{group}/promotion-day", Ct);
        var got = await Api.GetAsync($"/api/v1/groups/{group}/promotion-day", Ct);

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent), (removed.StatusCode, again.StatusCode, got.StatusCode));
        Assert.All(await PostsAsync(announced), p => Assert.NotNull(p.CancelledAt));
        Assert.Equal(0, await Database.Get<PromotionDayScheduler>().ScheduleAsync(Ct)); // nothing left to announce
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "promotion-day.removed", Ct));
    }

    [Fact]
    public async Task RemoveAsync_IsRefusedToAnOperatorOfAnotherGroup_AndRemovesNothing()
    {
        var group = await _data.GroupAsync();
        var other = await _data.OperatorAsync("other@test.local", await _data.GroupAsync("Other group"));
        TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 18, 2m, null, Ct));

        var refused = await Days.RemoveAsync(other, group, Ct);

        Assert.Equal(FailureKind.Forbidden, refused.Failure?.Kind);
        Assert.NotNull(TestData.Succeeded(await Days.GetAsync(TestData.Admin, group, Ct)));
    }

    [Fact]
    public async Task RebatesEarnedOnTheDay_AreMultiplied_InTheGroupsOwnCalendar()
    {
        TestData.Succeeded(await Database.Get<CommissionPlans>().SaveAsync(TestData.Admin, "CNY", new CommissionTerms(10m, 5m, 7, null, null, false, true, []), Ct));
        var group = await _data.GroupAsync();
        TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 1, 2m, null, Ct)); // 1 March in Shanghai
        var grandparent = await _data.MemberAsync(group, "Grandparent");
        var referrer = await _data.MemberAsync(group, "Referrer", referrerId: grandparent);
        var buyer = await _data.MemberAsync(group, "Buyer", referrerId: referrer);
        var product = await _data.ProductAsync(FunnelStage.Mid, 100m);

        await _data.OrderAsync(buyer, group, product, paid: true);
        Database.Clock.Advance(TimeSpan.FromHours(7)); // 2 March, 00:00 in Shanghai: the day is over
        await _data.OrderAsync(buyer, group, product, paid: true);

        var earned = await EarnedAsync(referrer);
        Assert.Equal([10m, 20m], earned); // newest first
        Assert.Equal([5m, 10m], await EarnedAsync(grandparent));
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task GiftPacks_GoToTheNewcomerOnTheDay_AndToTheReferrerOnceTheNewcomersFirstOrderIsPaid()
    {
        var group = await _data.GroupAsync();
        var gift = await _data.ProductAsync(FunnelStage.Low, 29.9m);
        TestData.Succeeded(await Days.SetAsync(TestData.Admin, group, 1, 1m, gift, Ct));
        var referrer = await _data.MemberAsync(group, "Referrer");
        string code;
        await using (var db = await Database.CreateDbContextAsync())
        {
            code = await db.Members.Where(m => m.Id == referrer).Select(m => m.ReferralCode).SingleAsync(Ct);
        }

        var newcomer = TestData.Succeeded(await Database.Get<MemberService>().AddNewcomerAsync(group, new MemberInput("Newcomer", "13800138777", ReferrerCode: code), null, Ct)).Id;
        Assert.Equal([(newcomer, OrderStatus.Gifted, 0m)], await GiftsAsync());
        Assert.Equal(FunnelStage.Free, await StageAsync(newcomer)); // a gift is never a paid tier

        var product = await _data.ProductAsync(FunnelStage.Mid, 399m);
        await _data.OrderAsync(newcomer, group, product, paid: true);
        await _data.OrderAsync(newcomer, group, product, paid: true);

        var gifts = await GiftsAsync();
        Assert.Equal(2, gifts.Count);
        Assert.Contains((referrer, OrderStatus.Gifted, 0m), gifts);
        Assert.Equal(FunnelStage.Free, await StageAsync(referrer));

        Database.Clock.Advance(TimeSpan.FromDays(1)); // not the promotion day: no gift
        await Database.Get<MemberService>().AddNewcomerAsync(group, new MemberInput("Later", "13800138778", ReferrerCode: code), null, Ct);
        Assert.Equal(2, (await GiftsAsync()).Count);
    }

    private async Task ChannelAsync(Guid group, string key) =>
        TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group, new ChannelInput(ChannelKind.WeCom, Name: key, Key: key), Ct));

    private async Task<List<Post>> PostsAsync(Guid eventId)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Posts.AsNoTracking().Where(p => p.AnnouncementId == eventId).ToListAsync(Ct);
    }

    private async Task<List<(Guid Member, OrderStatus Status, decimal Price)>> GiftsAsync()
    {
        await using var db = await Database.CreateDbContextAsync();
        return (await db.Orders.Where(o => o.GiftForReferralId != null).Select(o => new { o.MemberId, o.Status, o.UnitPrice }).ToListAsync(Ct))
            .Select(o => (o.MemberId, o.Status, o.UnitPrice)).ToList();
    }

    private async Task<FunnelStage> StageAsync(Guid member)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Members.Where(m => m.Id == member).Select(m => m.Stage).SingleAsync(Ct);
    }

    private async Task<decimal[]> EarnedAsync(Guid member) =>
        [.. TestData.Succeeded(await Database.Get<RebateAccounts>().StatementAsync(TestData.Admin, member, "CNY", Ct)).Entries
            .Where(e => e.Kind == RebateEntryKind.Earned).Select(e => e.Amount)];
}
