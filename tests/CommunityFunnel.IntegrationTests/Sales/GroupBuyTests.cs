using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Sales;

public sealed class GroupBuyTests(PostgresFixture database) : DatabaseTest(database)
{
    private static readonly GroupBuyTier[] Playbook = [new(2, 90m), new(3, 85m), new(5, 75m)];
    private readonly TestData _data = new(database);

    private GroupBuyService GroupBuys => Database.Get<GroupBuyService>();

    private async Task<(Guid GroupBuy, Guid[] Members)> FridayGiftPackAsync(int joiners, int minParticipants = 2)
    {
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync(price: 99m);
        var now = Database.Clock.GetUtcNow();
        var groupBuy = TestData.Succeeded(await GroupBuys.CreateAsync(TestData.Admin,
            new GroupBuyInput(group, product, Playbook, minParticipants, now, now.AddHours(24)), Ct));
        var members = await _data.MembersAsync(group, joiners);
        foreach (var member in members)
        {
            TestData.Succeeded(await GroupBuys.JoinAsync(groupBuy, member, 1, Ct));
        }

        return (groupBuy, members);
    }

    [Fact]
    public async Task AGroupBuyOrder_OffersPaymentOnlyAfterTheClose_OnTheMembersPage()
    {
        var (groupBuy, members) = await FridayGiftPackAsync(joiners: 2);
        var orders = Database.Get<OrderService>();
        var order = Assert.Single(TestData.Succeeded(await orders.ListForGroupBuyAsync(TestData.Admin, groupBuy, Ct)), o => o.MemberId == members[0]);
        using var browser = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);

        Assert.True(order.AwaitsGroupBuyClose);
        var before = await browser.GetStringAsync($"/members/{members[0]}", Ct);
        Assert.Contains("awaits-group-buy-close", before, StringComparison.Ordinal);
        Assert.DoesNotContain("pay-order", before, StringComparison.Ordinal);

        Database.Clock.Advance(TimeSpan.FromHours(24));
        Assert.True(await GroupBuys.SettleAsync(groupBuy, Ct));

        Assert.False(TestData.Succeeded(await orders.GetAsync(TestData.Admin, order.Id, Ct)).AwaitsGroupBuyClose);
        Assert.Contains("pay-order", await browser.GetStringAsync($"/members/{members[0]}", Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, false, null)]
    [InlineData(2, true, 90)]
    [InlineData(3, true, 85)]
    [InlineData(4, true, 85)]
    [InlineData(5, true, 75)]
    [InlineData(6, true, 75)]
    public async Task Settlement_ChargesEveryoneTheFinalTier_OrVoidsBelowTheMinimum(int joiners, bool succeeds, int? finalPrice)
    {
        var (groupBuy, _) = await FridayGiftPackAsync(joiners);
        Database.Clock.Advance(TimeSpan.FromHours(24));

        Assert.True(await GroupBuys.SettleAsync(groupBuy, Ct));

        await using var db = await Database.CreateDbContextAsync();
        var orders = await db.Orders.Where(o => o.GroupBuyId == groupBuy).ToListAsync(Ct);
        Assert.Equal(joiners, orders.Count);
        if (succeeds)
        {
            Assert.All(orders, o => Assert.Equal((OrderStatus.Pending, (decimal)finalPrice!), (o.Status, o.UnitPrice)));
        }
        else
        {
            Assert.All(orders, o => Assert.Equal(OrderStatus.Voided, o.Status));
        }

        var view = (await GroupBuys.GetAsync(TestData.Admin, groupBuy, Ct)).Value!;
        Assert.Equal(succeeds ? GroupBuyState.Succeeded : GroupBuyState.Failed, view.State);
        Assert.Equal(joiners, view.Participants);
    }

    [Fact]
    public async Task Settlement_RunTwiceAndConcurrently_ChangesNothingMore()
    {
        var (groupBuy, _) = await FridayGiftPackAsync(3);
        Database.Clock.Advance(TimeSpan.FromHours(25));

        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => GroupBuys.SettleAsync(groupBuy, Ct))));
        var sweep = await GroupBuys.SettleDueAsync(Ct);

        Assert.Equal(1, runs.Count(settled => settled));
        Assert.Equal(0, sweep);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "group_buy.settled", Ct));
        Assert.All(await db.Orders.Where(o => o.GroupBuyId == groupBuy).ToListAsync(Ct), o => Assert.Equal(85m, o.UnitPrice));
    }

    [Fact]
    public async Task TheView_ShowsTheCurrentPrice_TheNextTier_AndHowManyMoreReachIt()
    {
        var (groupBuy, _) = await FridayGiftPackAsync(3);

        var view = (await GroupBuys.GetAsync(TestData.Admin, groupBuy, Ct)).Value!;

        Assert.Equal((3, 85m, 5, 2), (view.Participants, view.CurrentPrice, view.NextTier!.Participants, view.PeopleToNextTier!.Value));
        Assert.Equal(GroupBuyState.Open, view.State);
    }

    [Fact]
    public async Task JoiningTwice_LateOrFromAnotherGroup_IsRefused()
    {
        var (groupBuy, members) = await FridayGiftPackAsync(2);
        var outsider = await _data.MemberAsync(await _data.GroupAsync("Elsewhere"), "Outsider");

        Assert.Equal("already_joined", (await GroupBuys.JoinAsync(groupBuy, members[0], 1, Ct)).Failure!.Code);
        Assert.Equal("not_in_group", (await GroupBuys.JoinAsync(groupBuy, outsider, 1, Ct)).Failure!.Code);
        Assert.Equal("invalid_quantity", (await GroupBuys.JoinAsync(groupBuy, members[0], 0, Ct)).Failure!.Code);
        Database.Clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal("not_open", (await GroupBuys.JoinAsync(groupBuy, outsider, 1, Ct)).Failure!.Code);
    }

    [Fact]
    public async Task Orders_ArePaidOnlyOnceSettled_AtTheFinalPrice()
    {
        var (groupBuy, _) = await FridayGiftPackAsync(5);
        var orders = Database.Get<OrderService>();
        var first = TestData.Succeeded(await orders.ListForGroupBuyAsync(TestData.Admin, groupBuy, Ct))[0];
        Assert.Equal(90m, first.UnitPrice); // joined first: the first tier's price, until more join

        Assert.Equal("group_buy_not_settled", (await orders.PayAsync(TestData.Admin, first.Id, Ct)).Failure!.Code);
        Database.Clock.Advance(TimeSpan.FromDays(1));
        await GroupBuys.SettleDueAsync(Ct);

        var paid = TestData.Succeeded(await orders.PayAsync(TestData.Admin, first.Id, Ct));
        Assert.Equal((75m, 75m), (paid.UnitPrice, paid.Total));
    }

    [Fact]
    public async Task CancelAndSettleAtOnce_NeverLeaveASucceededGroupBuyBelowItsMinimum()
    {
        var orders = Database.Get<OrderService>();
        for (var round = 0; round < 30; round++)
        {
            var (groupBuy, members) = await FridayGiftPackAsync(joiners: 2, minParticipants: 2); // exactly at the minimum
            var leaving = TestData.Succeeded(await orders.ListForGroupBuyAsync(TestData.Admin, groupBuy, Ct)).First(o => o.MemberId == members[round % 2]);
            Database.Clock.Advance(TimeSpan.FromHours(24));

            var cancel = Task.Run(() => orders.CancelAsync(TestData.Admin, leaving.Id, Ct), Ct);
            var settle = Task.Run(() => GroupBuys.SettleAsync(groupBuy, Ct), Ct);
            await Task.WhenAll(cancel, settle);
            var cancelled = await cancel;

            Assert.True(await settle);
            Assert.True(cancelled.Succeeded || cancelled.Failure?.Code == "group_buy_settled", cancelled.Failure?.Message);
            await using var db = await Database.CreateDbContextAsync();
            var buy = await db.GroupBuys.AsNoTracking().SingleAsync(g => g.Id == groupBuy, Ct);
            var all = await db.Orders.AsNoTracking().Where(o => o.GroupBuyId == groupBuy).ToListAsync(Ct);
            var live = all.Where(o => o.Status is OrderStatus.Pending or OrderStatus.Paid).ToList();
            if (buy.Succeeded == true)
            {
                Assert.True(live.Count >= buy.MinParticipants, $"round {round}: succeeded with {live.Count} live orders, minimum {buy.MinParticipants}");
                Assert.Equal(live.Count, buy.FinalParticipants);
                Assert.All(live, o => Assert.Equal(buy.FinalPrice, o.UnitPrice));
                Assert.Equal("group_buy_settled", cancelled.Failure?.Code);
            }
            else
            {
                Assert.Empty(live);
                Assert.All(all, o => Assert.Contains(o.Status, new[] { OrderStatus.Voided, OrderStatus.Cancelled }));
                Assert.True(cancelled.Succeeded);
            }
        }
    }

    [Fact]
    public async Task CancellingAfterSettlement_IsRefusedWithAProblem_ButPaymentAndRefundStillWork()
    {
        var (groupBuy, _) = await FridayGiftPackAsync(3);
        var orders = Database.Get<OrderService>();
        var order = TestData.Succeeded(await orders.ListForGroupBuyAsync(TestData.Admin, groupBuy, Ct))[0];
        Database.Clock.Advance(TimeSpan.FromDays(1));
        await GroupBuys.SettleDueAsync(Ct);

        var cancel = await Database.App.ApiClient().PostAsync($"/api/v1/orders/{order.Id}/cancel", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal("group_buy_settled", (await cancel.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        Assert.Equal(OrderStatus.Pending, TestData.Succeeded(await orders.GetAsync(TestData.Admin, order.Id, Ct)).Status);
        TestData.Succeeded(await orders.PayAsync(TestData.Admin, order.Id, Ct));
        Assert.Equal(OrderStatus.Refunded, TestData.Succeeded(await orders.RefundAsync(TestData.Admin, order.Id, Ct)).Status);
        Assert.Equal(3, (await GroupBuys.GetAsync(TestData.Admin, groupBuy, Ct)).Value!.Participants);
    }

    [Fact]
    public async Task CreateAsync_RefusesTiersOutOfOrder_WithAClearMessage()
    {
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync();
        var now = Database.Clock.GetUtcNow();

        var rising = await GroupBuys.CreateAsync(TestData.Admin, new GroupBuyInput(group, product, [new(2, 90m), new(3, 95m)], 2, now, now.AddDays(1)), Ct);
        var shrinking = await GroupBuys.CreateAsync(TestData.Admin, new GroupBuyInput(group, product, [new(3, 90m), new(2, 80m)], 3, now, now.AddDays(1)), Ct);
        var lowMinimum = await GroupBuys.CreateAsync(TestData.Admin, new GroupBuyInput(group, product, Playbook, 1, now, now.AddDays(1)), Ct);
        var backwards = await GroupBuys.CreateAsync(TestData.Admin, new GroupBuyInput(group, product, Playbook, 2, now.AddDays(1), now), Ct);

        Assert.Equal("prices_not_falling", rising.Failure!.Code);
        Assert.Contains("90, then 95", rising.Failure.Message);
        Assert.Equal("tiers_out_of_order", shrinking.Failure!.Code);
        Assert.Equal("minimum_below_first_tier", lowMinimum.Failure!.Code);
        Assert.Equal("closes_before_open", backwards.Failure!.Code);
    }
}
