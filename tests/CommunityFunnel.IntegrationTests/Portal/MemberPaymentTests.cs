using System.Net;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Portal;

/// <summary>"I have paid": the order waits for the host's confirmation, is no longer expired, and stays the member's own.</summary>
public sealed class MemberPaymentTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private MemberOrders Orders => Database.Get<MemberOrders>();

    [Fact]
    public async Task AClaimsPage_ShowsWhatToPay_AndIHavePaid_ParksItForTheHost()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group, "Ada");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var sale = await _data.FlashSaleAsync(group, price: 9.9m, paymentMinutes: 15);
        var claim = TestData.Succeeded(await Database.Get<FlashSaleService>().ClaimForAsync(TestData.Admin, sale, member, 2, null, Ct));
        using var ada = Database.App.CookieClient();
        await ada.GetAsync($"/m/{await _data.PersonalLinkAsync(member)}", Ct);
        var orderPage = $"/me/orders/{claim.OrderId}";

        var page = await ada.GetStringAsync($"{orderPage}?claimed=1", Ct);
        Assert.Contains("data-testid=\"claimed\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"amount-due\">¥19.80<", page, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"payment-reference\">{PaymentReferences.For(claim.OrderId)}<", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"pay-by\"", page, StringComparison.Ordinal);

        var reported = await MemberForms.PostAsync(ada, orderPage, "report-paid", "Input.Sent", "true");
        Assert.Equal(HttpStatusCode.Redirect, reported.StatusCode);
        var after = await ada.GetStringAsync(orderPage, Ct);
        Assert.Contains("data-testid=\"payment-reported\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"report-paid\"", after, StringComparison.Ordinal);

        await using var db = await Database.CreateDbContextAsync();
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == claim.OrderId, Ct);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.NotNull(order.PaymentReportedAt);
    }

    [Fact]
    public async Task AReportedReservation_OutlivesItsDeadline_UntilTheHostDecides_WhileAnUnreportedOneExpires()
    {
        var group = await _data.GroupAsync();
        var (ada, bo) = (await _data.MemberAsync(group, "Ada"), await _data.MemberAsync(group, "Bo"));
        var sale = await _data.FlashSaleAsync(group, stock: 5, paymentMinutes: 15);
        var sales = Database.Get<FlashSaleService>();
        var reportedClaim = TestData.Succeeded(await sales.ClaimForAsync(TestData.Admin, sale, ada, 1, null, Ct));
        var silentClaim = TestData.Succeeded(await sales.ClaimForAsync(TestData.Admin, sale, bo, 1, null, Ct));
        TestData.Succeeded(await Orders.ReportPaidAsync(MemberScope.AllGroupsOf(ada), reportedClaim.OrderId, Ct));

        Database.Clock.Advance(TimeSpan.FromMinutes(16));
        await sales.ExpireReservationsAsync(Ct);

        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(OrderStatus.Pending, (await db.Orders.AsNoTracking().SingleAsync(o => o.Id == reportedClaim.OrderId, Ct)).Status);
        Assert.Equal(OrderStatus.Expired, (await db.Orders.AsNoTracking().SingleAsync(o => o.Id == silentClaim.OrderId, Ct)).Status);
        Assert.Equal(4, (await db.FlashSales.AsNoTracking().SingleAsync(s => s.Id == sale, Ct)).Remaining); // Bo's unit is back, Ada's is held
        TestData.Succeeded(await Database.Get<OrderService>().PayAsync(TestData.Admin, reportedClaim.OrderId, Ct));
    }

    [Fact]
    public async Task ReportingPaid_IsRefused_ForAnotherMembersOrder_AGroupBuyBeforeItsClose_AndAnExpiredOrder_AndCountsOnceWhenRepeated()
    {
        var group = await _data.GroupAsync();
        var (ada, eve) = (await _data.MemberAsync(group, "Ada"), await _data.MemberAsync(group, "Eve"));
        var sale = await _data.FlashSaleAsync(group, paymentMinutes: 15);
        var claim = TestData.Succeeded(await Database.Get<FlashSaleService>().ClaimForAsync(TestData.Admin, sale, ada, 1, null, Ct));
        var product = await _data.ProductAsync(FunnelStage.Low, 19.9m);
        var now = Database.Clock.GetUtcNow();
        var groupBuys = Database.Get<GroupBuyService>();
        var buy = TestData.Succeeded(await groupBuys.CreateAsync(TestData.Admin,
            new GroupBuyInput(group, product, [new GroupBuyTier(2, 18m), new GroupBuyTier(3, 17m)], 2, now, now.AddHours(1)), Ct));
        var joined = TestData.Succeeded(await groupBuys.JoinForAsync(TestData.Admin, buy, ada, 1, Ct));

        var byEve = await Orders.ReportPaidAsync(MemberScope.AllGroupsOf(eve), claim.OrderId, Ct);
        var beforeClose = await Orders.ReportPaidAsync(MemberScope.AllGroupsOf(ada), joined.OrderId, Ct);
        var first = await Orders.ReportPaidAsync(MemberScope.AllGroupsOf(ada), claim.OrderId, Ct);
        var repeated = await Orders.ReportPaidAsync(MemberScope.AllGroupsOf(ada), claim.OrderId, Ct);

        Assert.Equal("not_found", byEve.Failure?.Code);
        Assert.Equal("group_buy_not_settled", beforeClose.Failure?.Code);
        Assert.Equal(first.Value!.PaymentReportedAt, repeated.Value!.PaymentReportedAt);
        Assert.Single(await AuditAsync("order.payment_reported"));

        var late = TestData.Succeeded(await Database.Get<FlashSaleService>().ClaimForAsync(TestData.Admin, sale, eve, 1, null, Ct));
        Database.Clock.Advance(TimeSpan.FromMinutes(16));
        await Database.Get<FlashSaleService>().ExpireReservationsAsync(Ct);
        Assert.Equal("invalid_order_state", (await Orders.ReportPaidAsync(MemberScope.AllGroupsOf(eve), late.OrderId, Ct)).Failure?.Code);
    }

    [Fact]
    public async Task ReportingPaid_RacingTheExpirySweep_EndsOneWayOnly()
    {
        var group = await _data.GroupAsync();
        var members = await _data.MembersAsync(group, 8);
        var sale = await _data.FlashSaleAsync(group, stock: 8, paymentMinutes: 15);
        var sales = Database.Get<FlashSaleService>();
        var claims = new List<Guid>();
        foreach (var member in members)
        {
            claims.Add(TestData.Succeeded(await sales.ClaimForAsync(TestData.Admin, sale, member, 1, null, Ct)).OrderId);
        }

        Database.Clock.Advance(TimeSpan.FromMinutes(16));
        var reports = claims.Select((order, i) => Task.Run(() => Orders.ReportPaidAsync(MemberScope.AllGroupsOf(members[i]), order, Ct))).ToList();
        var sweep = Task.Run(() => sales.ExpireReservationsAsync(Ct));
        await Task.WhenAll([.. reports, sweep]);

        await using var db = await Database.CreateDbContextAsync();
        var orders = await db.Orders.AsNoTracking().Where(o => o.FlashSaleId == sale).ToListAsync(Ct);
        var remaining = (await db.FlashSales.AsNoTracking().SingleAsync(s => s.Id == sale, Ct)).Remaining;
        Assert.All(orders, o => Assert.True(
            (o.Status == OrderStatus.Pending && o.PaymentReportedAt != null) || (o.Status == OrderStatus.Expired && o.PaymentReportedAt == null),
            $"{o.Status} reported {o.PaymentReportedAt}"));
        Assert.Equal(orders.Count(o => o.Status == OrderStatus.Expired), remaining); // every expired unit came back once, no held one did
        for (var i = 0; i < claims.Count; i++)
        {
            Assert.Equal(orders.Single(o => o.Id == claims[i]).Status == OrderStatus.Pending, (await reports[i]).Succeeded);
        }
    }

    private async Task<List<string>> AuditAsync(string action)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.AuditEntries.Where(a => a.Action == action).Select(a => a.Details).ToListAsync(Ct);
    }
}
