using CommunityFunnel.Application.Analytics;
using CommunityFunnel.Application.Demo;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Analytics;

public sealed class DashboardServiceTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task GetAsync_CountsStagesConversionsRevenueAndNewMembers()
    {
        var group = await _data.GroupAsync();
        var low = await _data.ProductAsync(FunnelStage.Low, 29.9m);
        var mid = await _data.ProductAsync(FunnelStage.Mid, 399m);
        var ada = await _data.MemberAsync(group, "Ada");
        var bob = await _data.MemberAsync(group, "Bob");
        await _data.MemberAsync(group, "Cy");
        await _data.MemberAsync(group, "Dee");
        await _data.OrderAsync(ada, group, low, paid: true);
        await _data.OrderAsync(ada, group, mid, paid: true);
        var refunded = await _data.OrderAsync(bob, group, low, paid: true);
        await Database.Get<OrderService>().RefundAsync(TestData.Admin, refunded, Ct);
        Database.Clock.Advance(TimeSpan.FromDays(40)); // everything above is now older than 30 days
        await _data.OrderAsync(bob, group, low, paid: true);
        await _data.MemberAsync(group, "Eve");

        var data = (await Database.Get<DashboardService>().GetAsync(TestData.Admin, group, Ct)).Value!;

        Assert.Equal(5, data.MemberCount);
        Assert.Equal((3, 1, 1), (data.StageCounts[FunnelStage.Free], data.StageCounts[FunnelStage.Low], data.StageCounts[FunnelStage.Mid]));
        var freeToLow = data.Conversions[0];
        Assert.Equal((5, 2, 0.4), (freeToLow.ReachedFrom, freeToLow.ReachedTo, freeToLow.Rate));
        var revenue = Assert.Single(data.RevenueLast30Days);
        Assert.Equal(("CNY", FunnelStage.Low, 29.9m, 1), (revenue.Currency, revenue.Tier, revenue.Amount, revenue.OrderCount));
        Assert.Equal(7, data.NewMembersLast7Days.Count);
        Assert.Equal(1, data.NewMembersLast7Days.Sum(d => d.Count));
    }

    [Fact]
    public async Task GetAsync_CountsWhatWasPaidMinusPartialRefunds_AsRevenue()
    {
        var orders = Database.Get<OrderService>();
        var group = await _data.GroupAsync();
        var ada = await _data.MemberAsync(group, "Ada");
        var mid = await _data.OrderAsync(ada, group, await _data.ProductAsync(FunnelStage.Mid, 399m), paid: true);
        var low = TestData.Succeeded(await orders.RecordAsync(TestData.Admin,
            new OrderInput(ada, group, await _data.ProductAsync(FunnelStage.Low, 29.9m), 3, null), Ct)).Id;
        TestData.Succeeded(await orders.PayAsync(TestData.Admin, low, Ct));

        TestData.Succeeded(await orders.RefundAsync(TestData.Admin, mid, new RefundRequest(Amount: 100.5m), Ct));
        TestData.Succeeded(await orders.RefundAsync(TestData.Admin, low, new RefundRequest(Quantity: 1), Ct));
        TestData.Succeeded(await orders.RefundAsync(TestData.Admin, low, new RefundRequest(Amount: 0.8m), Ct));

        var revenue = (await Database.Get<DashboardService>().GetAsync(TestData.Admin, group, Ct)).Value!.RevenueLast30Days;
        Assert.Equal(
            [("CNY", FunnelStage.Low, 59m, 1), ("CNY", FunnelStage.Mid, 298.5m, 1)], // 89.70 - 29.90 - 0.80; 399 - 100.50
            revenue.Select(r => (r.Currency, r.Tier, r.Amount, r.OrderCount)));
    }

    [Fact]
    public async Task DemoData_SeedsThreeGroupsInThreeTimeZones_WithARealFunnel()
    {
        await Database.Get<DemoDataSeeder>().SeedIfEmptyAsync(Ct);
        await Database.Get<DemoDataSeeder>().SeedIfEmptyAsync(Ct); // a second start seeds nothing more

        await using var db = await Database.CreateDbContextAsync();
        var groups = await db.Groups.Select(g => new { g.TimeZoneId, g.Currency }).ToListAsync(Ct);
        Assert.Equal(["America/New_York", "Asia/Shanghai", "Europe/Madrid"], groups.Select(g => g.TimeZoneId).Order());
        Assert.Equal(["CNY", "EUR", "USD"], groups.Select(g => g.Currency).Order());
        Assert.Equal(3 * DemoDataSeeder.MembersPerGroup, await db.Members.CountAsync(Ct));
        Assert.True(await db.Orders.MinAsync(o => o.CreatedAt, Ct) < PostgresFixture.Start.AddDays(-60));

        var overall = (await Database.Get<DashboardService>().GetAsync(TestData.Admin, null, Ct)).Value!;
        Assert.All(FunnelStages.All, stage => Assert.True(overall.StageCounts[stage] > 0, $"no member at {stage}"));
        Assert.True(overall.StageCounts[FunnelStage.Free] > overall.StageCounts[FunnelStage.High]);
        Assert.Equal(3, overall.RevenueLast30Days.Select(r => r.Currency).Distinct().Count());
        Assert.True(overall.NewMembersLast7Days.Sum(d => d.Count) > 0);

        // The partner programme at work: referred members' payments earned their referrers rebates through the ledger.
        Assert.Equal(["CNY", "EUR", "USD"], await db.CommissionPlans.Select(p => p.Currency).OrderBy(c => c).ToListAsync(Ct));
        var earned = await db.RebateEntries.Where(e => e.Kind == RebateEntryKind.Earned).ToListAsync(Ct);
        Assert.Equal(3, earned.Select(e => e.Currency).Distinct().Count());
        Assert.Contains(earned, e => e.Level == 2);
        Assert.Equal(DemoDataSeeder.DemoPromotionDay, (await db.PromotionDays.SingleAsync(Ct)).DayOfMonth);
    }
}
