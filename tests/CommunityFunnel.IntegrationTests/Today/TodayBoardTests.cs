using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Application.Today;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Today;

/// <summary>The operator's "Today" across their groups, its counts, its API, and the orders list that confirms in bulk.</summary>
public sealed class TodayBoardTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Today_CountsWhatNeedsTheOperator_InTheirGroupsOnly()
    {
        var (mine, alsoMine, theirs) = (await _data.GroupAsync("Tea"), await _data.GroupAsync("Coffee"), await _data.GroupAsync("Other"));
        var op = await _data.OperatorAsync("today@test.local", mine, alsoMine);
        var (ada, bo, cy) = (await _data.MemberAsync(mine, "Ada"), await _data.MemberAsync(alsoMine, "Bo"), await _data.MemberAsync(theirs, "Cy"));
        var sales = Database.Get<FlashSaleService>();
        var (teaSale, coffeeSale, otherSale) = (await _data.FlashSaleAsync(mine), await _data.FlashSaleAsync(alsoMine), await _data.FlashSaleAsync(theirs));
        var reported = TestData.Succeeded(await sales.ClaimForAsync(TestData.Admin, teaSale, ada, 2, null, Ct));
        var awaiting = TestData.Succeeded(await sales.ClaimForAsync(TestData.Admin, coffeeSale, bo, 1, null, Ct));
        var elsewhere = TestData.Succeeded(await sales.ClaimForAsync(TestData.Admin, otherSale, cy, 1, null, Ct));
        TestData.Succeeded(await Database.Get<MemberOrders>().ReportPaidAsync(MemberScope.AllGroupsOf(ada), reported.OrderId, Ct));
        TestData.Succeeded(await Database.Get<MemberOrders>().ReportPaidAsync(MemberScope.AllGroupsOf(cy), elsewhere.OrderId, Ct));
        await _data.OrderAsync(ada, mine, await _data.ProductAsync()); // recorded by hand, no deadline: not chased here
        var product = await _data.ProductAsync(FunnelStage.Low, 19.9m);
        var now = Database.Clock.GetUtcNow();
        TestData.Succeeded(await Database.Get<GroupBuyService>().CreateAsync(TestData.Admin,
            new GroupBuyInput(alsoMine, product, [new GroupBuyTier(2, 18m)], 2, now.AddDays(2), now.AddDays(3)), Ct)); // next, not live
        await Database.Get<ChannelService>().AddAsync(TestData.Admin, mine, new ChannelInput(ChannelKind.Assisted, Name: "Host phone"), Ct);
        var announcements = Database.Get<AnnouncementService>();
        TestData.Succeeded(await announcements.ScheduleAsync(TestData.Admin, new AnnouncementInput([mine, alsoMine, theirs], "Tonight 8 pm", now.AddHours(3)), Ct));
        TestData.Succeeded(await announcements.ScheduleAsync(TestData.Admin, new AnnouncementInput([mine], "Next week", now.AddDays(7)), Ct));
        TestData.Succeeded(await announcements.ScheduleAsync(TestData.Admin, new AnnouncementInput([mine], "Right now", now), Ct));
        await Database.Get<DeliveryDispatcher>().RunOnceAsync(Ct); // the assisted channel's due post waits for the operator

        var today = await Database.Get<TodayBoard>().ForAsync(op, Ct);

        Assert.Equal(reported.OrderId, Assert.Single(today.ToConfirm).OrderId);
        Assert.Equal(19.8m, today.ToConfirm[0].Total);
        Assert.Equal(awaiting.OrderId, Assert.Single(today.AwaitingPayment).OrderId);
        Assert.Equal(new[] { teaSale, coffeeSale }.Order(), today.Sales.Where(s => s.IsLive).Select(s => s.Id).Order());
        Assert.Single(today.Sales, s => !s.IsLive && s.Kind == SaleKind.GroupBuy);
        Assert.Equal(["Tonight 8 pm", "Tonight 8 pm"], today.PostsDue.Where(p => p.Text.StartsWith("Tonight", StringComparison.Ordinal)).Select(p => p.Text).ToArray());
        Assert.DoesNotContain(today.PostsDue, p => p.Text == "Next week" || p.GroupName == "Other");
        Assert.Equal(1, today.ToSend);
        Assert.Equal(new TodayCounts(1, 1, 2, today.PostsDue.Count, 1), today.Counts);
        Assert.Equal(new MenuBadges(1, 1), await Database.Get<TodayBoard>().BadgesAsync(op, Ct));
        Assert.Equal(2, (await Database.Get<TodayBoard>().ForAsync(TestData.Admin, Ct)).ToConfirm.Count); // an admin sees every group
    }

    [Fact]
    public async Task TheTodayApi_AnswersTheKeysOperator_WithCountsAndLists()
    {
        var group = await _data.GroupAsync("Tea");
        var member = await _data.MemberAsync(group, "Ada");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app answers on the real clock
        var sale = await _data.FlashSaleAsync(group);
        var claim = TestData.Succeeded(await Database.Get<FlashSaleService>().ClaimForAsync(TestData.Admin, sale, member, 1, null, Ct));
        TestData.Succeeded(await Database.Get<MemberOrders>().ReportPaidAsync(MemberScope.AllGroupsOf(member), claim.OrderId, Ct));

        var today = await Database.App.ApiClient().GetFromJsonAsync<JsonElement>("/api/v1/today", Ct);

        Assert.Equal(1, today.GetProperty("counts").GetProperty("toConfirm").GetInt32());
        var toConfirm = today.GetProperty("toConfirm")[0];
        Assert.Equal(claim.OrderId, toConfirm.GetProperty("orderId").GetGuid());
        Assert.Equal(PaymentReferences.For(claim.OrderId), toConfirm.GetProperty("paymentReference").GetString());
        Assert.Equal("FlashSale", today.GetProperty("sales")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task TheOrderList_FiltersAcrossGroups_AndMarksManyPaid_SkippingTheOnesThatCannotBe()
    {
        var (mine, theirs) = (await _data.GroupAsync("Tea"), await _data.GroupAsync("Other"));
        var op = await _data.OperatorAsync("orders@test.local", mine);
        var (ada, bo, cy) = (await _data.MemberAsync(mine, "Ada Lovelace", phone: "13800138000"), await _data.MemberAsync(mine, "Bo"), await _data.MemberAsync(theirs, "Cy"));
        var sale = await _data.FlashSaleAsync(mine);
        var claims = Database.Get<FlashSaleService>();
        var adaClaim = TestData.Succeeded(await claims.ClaimForAsync(TestData.Admin, sale, ada, 1, null, Ct)).OrderId;
        var boClaim = TestData.Succeeded(await claims.ClaimForAsync(TestData.Admin, sale, bo, 1, null, Ct)).OrderId;
        var byHand = await _data.OrderAsync(bo, mine, await _data.ProductAsync());
        var theirOrder = await _data.OrderAsync(cy, theirs, await _data.ProductAsync());
        var orders = Database.Get<OrderService>();
        TestData.Succeeded(await orders.CancelAsync(TestData.Admin, boClaim, Ct));
        TestData.Succeeded(await Database.Get<MemberOrders>().ReportPaidAsync(MemberScope.AllGroupsOf(ada), adaClaim, Ct));

        Guid[] Ids(Application.Common.Result<Application.Common.Page<OrderView>> page) => [.. TestData.Succeeded(page).Items.Select(o => o.Id).Order()];
        Assert.Equal(new[] { adaClaim, boClaim, byHand }.Order(), Ids(await orders.ListAsync(op, new OrderFilter(), 0, 50, Ct)));
        Assert.Equal([adaClaim], Ids(await orders.ListAsync(op, new OrderFilter(PaymentReported: true), 0, 50, Ct)));
        Assert.Equal(new[] { adaClaim, boClaim }.Order(), Ids(await orders.ListAsync(op, new OrderFilter(SaleId: sale), 0, 50, Ct)));
        Assert.Equal([boClaim], Ids(await orders.ListAsync(op, new OrderFilter(Status: OrderStatus.Cancelled), 0, 50, Ct)));
        Assert.Equal([adaClaim], Ids(await orders.ListAsync(op, new OrderFilter(Search: "lovelace"), 0, 50, Ct)));
        Assert.Equal([adaClaim], Ids(await orders.ListAsync(op, new OrderFilter(Search: "0013 8000"), 0, 50, Ct)));
        Assert.Equal([adaClaim], Ids(await orders.ListAsync(op, new OrderFilter(Search: PaymentReferences.For(adaClaim)), 0, 50, Ct)));
        Assert.Empty(Ids(await orders.ListAsync(op, new OrderFilter(Until: Database.Clock.GetUtcNow().AddDays(-1)), 0, 50, Ct)));
        Assert.Equal("forbidden", (await orders.ListAsync(op, new OrderFilter(GroupId: theirs), 0, 50, Ct)).Failure?.Code);

        var paid = await orders.PayManyAsync(op, [adaClaim, boClaim, byHand, theirOrder, adaClaim], Ct);

        Assert.Equal(4, paid.Count);
        Assert.Equal(OrderStatus.Paid, paid.Single(p => p.OrderId == adaClaim).Order!.Status);
        Assert.Equal(OrderStatus.Paid, paid.Single(p => p.OrderId == byHand).Order!.Status);
        Assert.Equal("invalid_order_state", paid.Single(p => p.OrderId == boClaim).Failure?.Code);
        Assert.NotNull(paid.Single(p => p.OrderId == theirOrder).Failure);
        Assert.Empty(TestData.Succeeded(await orders.ListAsync(TestData.Admin, new OrderFilter(GroupId: theirs, Status: OrderStatus.Paid), 0, 50, Ct)).Items);
        Assert.All(await orders.PayManyAsync(op, [adaClaim, byHand], Ct), again => Assert.Equal(OrderStatus.Paid, again.Order!.Status)); // repeating is harmless
    }
}
