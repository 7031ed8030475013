using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Members;

public sealed class MemberDirectoryTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private MemberDirectory Directory => Database.Get<MemberDirectory>();

    [Fact]
    public async Task ListAsync_PagesSortsSearchesAndFilters_InTheDatabase()
    {
        var group = await _data.GroupAsync();
        var other = await _data.GroupAsync("Other");
        foreach (var (name, phone) in new[] { ("Carol", "13800000003"), ("alice", "13800000001"), ("Bob", "13800000002"), ("50% Off", "13800000004") })
        {
            await _data.MemberAsync(group, name, phone);
        }

        await _data.MemberAsync(other, "Zed");
        var bob = (await Directory.ListAsync(TestData.Admin, group, new MemberQuery("bob"), Ct)).Value!.Items.Single().Id;
        await Database.Get<MemberService>().MoveStageAsync(TestData.Admin, bob, FunnelStage.Mid, "test", Ct);

        var byName = (await Directory.ListAsync(TestData.Admin, group, new MemberQuery(SortBy: MemberSort.Name, Descending: false, PageSize: 2), Ct)).Value!;
        var secondPage = (await Directory.ListAsync(TestData.Admin, group, new MemberQuery(SortBy: MemberSort.Name, Descending: false, PageIndex: 1, PageSize: 2), Ct)).Value!;
        var byPhone = (await Directory.ListAsync(TestData.Admin, group, new MemberQuery("0000003"), Ct)).Value!;
        var literalPercent = (await Directory.ListAsync(TestData.Admin, group, new MemberQuery("50%"), Ct)).Value!;
        var mid = (await Directory.ListAsync(TestData.Admin, group, new MemberQuery(Stage: FunnelStage.Mid), Ct)).Value!;

        Assert.Equal(4, byName.TotalCount);
        Assert.Equal(["50% Off", "alice"], byName.Items.Select(m => m.DisplayName));
        Assert.Equal(["Bob", "Carol"], secondPage.Items.Select(m => m.DisplayName));
        Assert.Equal("Carol", Assert.Single(byPhone.Items).DisplayName);
        Assert.Equal("50% Off", Assert.Single(literalPercent.Items).DisplayName);
        Assert.Equal(bob, Assert.Single(mid.Items).Id);
    }

    [Fact]
    public async Task ListAsync_SortsStagesByTheLadder_NotByTheAlphabet()
    {
        var group = await _data.GroupAsync();
        foreach (var (name, stage) in new[] { ("h", FunnelStage.High), ("f", FunnelStage.Free), ("s", FunnelStage.Sharing), ("m", FunnelStage.Mid), ("l", FunnelStage.Low) })
        {
            var id = await _data.MemberAsync(group, name);
            await Database.Get<MemberService>().MoveStageAsync(TestData.Admin, id, stage, "setup", Ct);
        }

        var page = (await Directory.ListAsync(TestData.Admin, group, new MemberQuery(SortBy: MemberSort.Stage, Descending: false), Ct)).Value!;

        Assert.Equal([FunnelStage.Free, FunnelStage.Low, FunnelStage.Mid, FunnelStage.High, FunnelStage.Sharing], page.Items.Select(m => m.Stage));
    }

    [Fact]
    public async Task ListAsync_IsForbidden_ForAnOperatorOfAnotherGroup()
    {
        var mine = await _data.GroupAsync("Mine");
        var theirs = await _data.GroupAsync("Theirs");
        var op = await _data.OperatorAsync("op@test.local", mine);

        Assert.Equal(FailureKind.Forbidden, (await Directory.ListAsync(op, theirs, new MemberQuery(), Ct)).Failure?.Kind);
        Assert.Equal(FailureKind.NotFound, (await Directory.ListAsync(op, Guid.NewGuid(), new MemberQuery(), Ct)).Failure?.Kind);
        Assert.True((await Directory.ListAsync(op, mine, new MemberQuery(), Ct)).Succeeded);
    }

    [Fact]
    public async Task GetProfileAsync_ShowsWillingnessToPayAndTheStageTimeline()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        await _data.OrderAsync(member, group, await _data.ProductAsync(FunnelStage.Low, 29.9m), paid: true);
        Database.Clock.Advance(TimeSpan.FromDays(3));
        await _data.OrderAsync(member, group, await _data.ProductAsync(FunnelStage.Mid, 399m), paid: true);
        await _data.OrderAsync(member, group, await _data.ProductAsync(FunnelStage.High, 3999m)); // pending: not paid

        var profile = (await Directory.GetProfileAsync(TestData.Admin, member, Ct)).Value!;

        Assert.Equal(FunnelStage.Mid, profile.Stage);
        Assert.Equal(new WillingnessToPay("CNY", 428.9m, 2, FunnelStage.Mid, 214.45m, PostgresFixture.Start.AddDays(3)), profile.Profile);
        Assert.Equal([FunnelStage.Mid, FunnelStage.Low], profile.Timeline.Select(t => t.To));
        Assert.Equal(3, profile.Orders.Count);
    }

    [Fact]
    public async Task GetProfileAsync_CountsWhatWasPaidMinusPartialRefunds()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        var low = await _data.OrderAsync(member, group, await _data.ProductAsync(FunnelStage.Low, 29.9m), paid: true);
        Database.Clock.Advance(TimeSpan.FromMinutes(1));
        var mid = await _data.OrderAsync(member, group, await _data.ProductAsync(FunnelStage.Mid, 399m), paid: true);
        TestData.Succeeded(await Database.Get<OrderService>().RefundAsync(TestData.Admin, mid, new RefundRequest(Amount: 99m), Ct));
        TestData.Succeeded(await Database.Get<OrderService>().RefundAsync(TestData.Admin, low, Ct));

        var profile = (await Directory.GetProfileAsync(TestData.Admin, member, Ct)).Value!;

        Assert.Equal(("CNY", 300m, 1, 300m), (profile.Profile.Currency, profile.Profile.TotalPaid, profile.Profile.PaidOrderCount, profile.Profile.AverageOrderValue));
        Assert.Equal([99m, 29.9m], profile.Orders.Select(o => o.RefundedAmount));
    }
}
