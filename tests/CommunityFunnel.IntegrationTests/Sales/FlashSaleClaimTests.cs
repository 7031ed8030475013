using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Sales;

public sealed class FlashSaleClaimTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private FlashSaleService Sales => Database.Get<FlashSaleService>();

    [Fact]
    public async Task Claims_NeverOversell_NorExceedTheLimit_UnderConcurrency()
    {
        var group = await _data.GroupAsync();
        var members = await _data.MembersAsync(group, 40);
        var sale = await _data.FlashSaleAsync(group, stock: 25, limit: 2);

        // Every member tries three times at once, for 1 or 2 units: 120 claims at 25 units.
        var attempts = members.SelectMany(m => new[] { (m, 1), (m, 2), (m, 1) }).ToList();
        var results = await Task.WhenAll(attempts.Select(a => Task.Run(() => Sales.ClaimForAsync(TestData.Admin, sale, a.m, a.Item2, null, Ct))));

        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains(r.Failure!.Code, new[] { "sold_out", "limit_reached" }));
        await using var db = await Database.CreateDbContextAsync();
        var orders = await db.Orders.Where(o => o.FlashSaleId == sale).ToListAsync(Ct);
        Assert.Equal(25, orders.Sum(o => o.Quantity));
        Assert.Equal(results.Where(r => r.Succeeded).Sum(r => r.Value!.Quantity), orders.Sum(o => o.Quantity));
        Assert.All(orders.GroupBy(o => o.MemberId), g => Assert.True(g.Sum(o => o.Quantity) <= 2));
        Assert.Equal(0, (await db.FlashSales.SingleAsync(s => s.Id == sale, Ct)).Remaining);
        var counters = await db.FlashSaleBuyers.Where(b => b.FlashSaleId == sale).ToDictionaryAsync(b => b.MemberId, b => b.Quantity, Ct);
        Assert.All(orders.GroupBy(o => o.MemberId), g => Assert.Equal(g.Sum(o => o.Quantity), counters[g.Key]));
    }

    [Fact]
    public async Task AClaimRetriedWithItsIdempotencyKey_ReturnsTheFirstOrder_AndReservesNothingMore()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        var sale = await _data.FlashSaleAsync(group, stock: 10, limit: 5);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Sales.ClaimForAsync(TestData.Admin, sale, member, 2, "tap-1", Ct))));
        var again = await Sales.ClaimForAsync(TestData.Admin, sale, member, 2, "tap-1", Ct);

        var orderIds = results.Append(again).Select(r => TestData.Succeeded(r).OrderId).Distinct().ToList();
        Assert.Single(orderIds);
        Assert.True(again.Value!.Replayed);
        Assert.Equal(8, (await Sales.GetAsync(TestData.Admin, sale, Ct)).Value!.Remaining);

        var stranger = await _data.MemberAsync(group, "Eve");
        Assert.Equal("idempotency_key_reused", (await Sales.ClaimForAsync(TestData.Admin, sale, stranger, 1, "tap-1", Ct)).Failure!.Code);
    }

    [Fact]
    public async Task ARetryAfterSellOut_StillGetsItsFirstOrder()
    {
        var group = await _data.GroupAsync();
        var (ada, bob) = (await _data.MemberAsync(group, "Ada"), await _data.MemberAsync(group, "Bob"));
        var sale = await _data.FlashSaleAsync(group, stock: 1, limit: 1);

        var first = TestData.Succeeded(await Sales.ClaimForAsync(TestData.Admin, sale, ada, 1, "ada-1", Ct));
        Assert.Equal("sold_out", (await Sales.ClaimForAsync(TestData.Admin, sale, bob, 1, "bob-1", Ct)).Failure!.Code); // now known sold out

        var retry = TestData.Succeeded(await Sales.ClaimForAsync(TestData.Admin, sale, ada, 1, "ada-1", Ct));
        Assert.Equal(first.OrderId, retry.OrderId);
        Assert.Equal("sold_out", (await Sales.ClaimForAsync(TestData.Admin, sale, bob, 1, "bob-2", Ct)).Failure!.Code);
    }

    [Fact]
    public async Task UnpaidReservations_ExpireOnce_AndTheirUnitsGoBackOnSale_EvenWithSweepsRunningAtOnce()
    {
        var group = await _data.GroupAsync();
        var members = await _data.MembersAsync(group, 6);
        var sale = await _data.FlashSaleAsync(group, stock: 6, limit: 1, paymentMinutes: 10);
        var orders = new List<Guid>();
        foreach (var member in members)
        {
            orders.Add(TestData.Succeeded(await Sales.ClaimForAsync(TestData.Admin, sale, member, 1, null, Ct)).OrderId);
        }

        TestData.Succeeded(await Database.Get<OrderService>().PayAsync(TestData.Admin, orders[0], Ct));
        Database.Clock.Advance(TimeSpan.FromMinutes(11));
        var sweeps = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Sales.ExpireReservationsAsync(Ct))));
        var later = await Sales.ExpireReservationsAsync(Ct);

        Assert.Equal(5, sweeps.Sum());
        Assert.Equal(0, later);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(5, (await db.FlashSales.SingleAsync(s => s.Id == sale, Ct)).Remaining);
        Assert.Equal(5, await db.Orders.CountAsync(o => o.FlashSaleId == sale && o.Status == OrderStatus.Expired, Ct));
        Assert.Equal(OrderStatus.Paid, (await db.Orders.SingleAsync(o => o.Id == orders[0], Ct)).Status);
        Assert.Equal(1, await db.FlashSaleBuyers.Where(b => b.FlashSaleId == sale).SumAsync(b => b.Quantity, Ct));

        // The member whose reservation lapsed may claim again: the returned unit is on sale for them too.
        TestData.Succeeded(await Sales.ClaimForAsync(TestData.Admin, sale, members[1], 1, null, Ct));
    }

    [Fact]
    public async Task CancellingAnUnpaidClaim_ReturnsItsUnitsOnce()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        var sale = await _data.FlashSaleAsync(group, stock: 3, limit: 3);
        var claim = TestData.Succeeded(await Sales.ClaimForAsync(TestData.Admin, sale, member, 3, null, Ct));

        var orders = Database.Get<OrderService>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => orders.CancelAsync(TestData.Admin, claim.OrderId, Ct))));

        Assert.Equal(3, (await Sales.GetAsync(TestData.Admin, sale, Ct)).Value!.Remaining);
        TestData.Succeeded(await Sales.ClaimForAsync(TestData.Admin, sale, member, 3, null, Ct));
    }

    [Fact]
    public async Task APaidClaim_PromotesTheMemberThroughTheFunnel()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        var sale = await _data.FlashSaleAsync(group);
        var claim = TestData.Succeeded(await Sales.ClaimForAsync(TestData.Admin, sale, member, 1, null, Ct));

        var paid = TestData.Succeeded(await Database.Get<OrderService>().PayAsync(TestData.Admin, claim.OrderId, Ct));

        Assert.Equal((OrderStatus.Paid, FunnelStage.Low, 9.9m), (paid.Status, paid.MemberStage, paid.UnitPrice));
    }

    [Fact]
    public async Task Claims_AreRefusedWithSpecificReasons_AndReserveNothing()
    {
        var group = await _data.GroupAsync();
        var other = await _data.GroupAsync("Other group");
        var member = await _data.MemberAsync(group);
        var outsider = await _data.MemberAsync(other, "Outsider");
        var sale = await _data.FlashSaleAsync(group, stock: 5, limit: 2);
        var forHighSpenders = await _data.FlashSaleAsync(group, stock: 5, limit: 2, minStage: FunnelStage.Mid);

        Assert.Equal("invalid_quantity", (await Sales.ClaimForAsync(TestData.Admin, sale, member, 0, null, Ct)).Failure!.Code);
        Assert.Equal("invalid_quantity", (await Sales.ClaimForAsync(TestData.Admin, sale, member, 1000, null, Ct)).Failure!.Code);
        Assert.Equal("unknown_member", (await Sales.ClaimForAsync(TestData.Admin, sale, Guid.NewGuid(), 1, null, Ct)).Failure!.Code);
        Assert.Equal("not_in_group", (await Sales.ClaimForAsync(TestData.Admin, sale, outsider, 1, null, Ct)).Failure!.Code);
        Assert.Equal("stage_too_low", (await Sales.ClaimForAsync(TestData.Admin, forHighSpenders, member, 1, null, Ct)).Failure!.Code);
        Assert.Equal("invalid_idempotency_key", (await Sales.ClaimForAsync(TestData.Admin, sale, member, 1, "has space", Ct)).Failure!.Code);
        Assert.Equal(FailureKind.NotFound, (await Sales.ClaimForAsync(TestData.Admin, Guid.NewGuid(), member, 1, null, Ct)).Failure!.Kind);

        TestData.Succeeded(await Sales.ClaimForAsync(TestData.Admin, sale, member, 2, null, Ct));
        var limit = (await Sales.ClaimForAsync(TestData.Admin, sale, member, 1, null, Ct)).Failure!;
        Assert.Equal(("limit_reached", FailureKind.Conflict), (limit.Code, limit.Kind));

        var stranger = await _data.OperatorAsync("op@test.local", other);
        Assert.Equal(FailureKind.Forbidden, (await Sales.ClaimForAsync(stranger, sale, member, 1, null, Ct)).Failure!.Kind);

        var archivedGroup = await _data.GroupAsync("Archived");
        var archivedSale = await _data.FlashSaleAsync(archivedGroup);
        var archivedMember = await _data.MemberAsync(archivedGroup, "Zoe");
        TestData.Succeeded(await Database.Get<Application.Groups.GroupService>().SetArchivedAsync(TestData.Admin, archivedGroup, true, Ct));
        Assert.Equal("not_live", (await Sales.ClaimForAsync(TestData.Admin, archivedSale, archivedMember, 1, null, Ct)).Failure!.Code);

        Database.Clock.Advance(TimeSpan.FromHours(2));
        var ended = (await Sales.ClaimForAsync(TestData.Admin, sale, member, 1, null, Ct)).Failure!;
        Assert.Equal(("not_live", FailureKind.Unprocessable), (ended.Code, ended.Kind));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.Orders.CountAsync(o => o.FlashSaleId != null, Ct)); // only the one good claim
    }

    [Fact]
    public async Task CreateAsync_RefusesBadTerms_FieldByField()
    {
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync();
        var now = Database.Clock.GetUtcNow();

        var result = await Sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, product, -1m, 0, 0, now.AddHours(1), now, 0), Ct);
        var codes = result.Failure!.Violations.Select(v => v.Code).ToList();
        Assert.Equivalent(new[] { "price_not_positive", "invalid_stock", "invalid_limit", "ends_before_start", "invalid_payment_window" }, codes);

        var aboveStock = await Sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, product, 9.9m, 5, 6, now, now.AddHours(1)), Ct);
        Assert.Equal("limit_above_stock", aboveStock.Failure!.Code);
        var eur = await _data.ProductAsync(currency: "EUR");
        Assert.Equal("currency_mismatch", (await Sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, eur, 9.9m, 5, 1, now, now.AddHours(1)), Ct)).Failure!.Code);
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.FlashSales.AnyAsync(Ct));
    }

    [Fact]
    public async Task TheStateFollowsTheClock_WithoutAnyJob()
    {
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync();
        var now = Database.Clock.GetUtcNow();
        var sale = TestData.Succeeded(await Sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, product, 9.9m, 1, 1, now.AddMinutes(10), now.AddMinutes(40)), Ct));
        var member = await _data.MemberAsync(group);

        Assert.Equal(FlashSaleState.Upcoming, (await Sales.GetAsync(TestData.Admin, sale, Ct)).Value!.State);
        Assert.Equal("not_live", (await Sales.ClaimForAsync(TestData.Admin, sale, member, 1, null, Ct)).Failure!.Code);
        Database.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(FlashSaleState.Live, (await Sales.GetAsync(TestData.Admin, sale, Ct)).Value!.State);
        TestData.Succeeded(await Sales.ClaimForAsync(TestData.Admin, sale, member, 1, null, Ct));
        Assert.Equal(FlashSaleState.SoldOut, (await Sales.GetAsync(TestData.Admin, sale, Ct)).Value!.State);
        Database.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(FlashSaleState.Ended, (await Sales.GetAsync(TestData.Admin, sale, Ct)).Value!.State);
    }
}
