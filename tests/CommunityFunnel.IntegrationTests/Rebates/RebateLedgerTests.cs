using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommunityFunnel.IntegrationTests.Rebates;

public sealed class RebateLedgerTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private OrderService Orders => Database.Get<OrderService>();

    private static CommissionTerms Terms(decimal level1 = 10m, decimal level2 = 5m, int holdDays = 7, decimal? minimum = null, decimal? cap = null,
        bool traffic = false, bool flashSales = true, params TierRate[] tiers) =>
        new(level1, level2, holdDays, minimum, cap, traffic, flashSales, tiers);

    private async Task PlanAsync(CommissionTerms terms, string currency = "CNY") =>
        TestData.Succeeded(await Database.Get<CommissionPlans>().SaveAsync(TestData.Admin, currency, terms, Ct));

    private async Task<RebateStatement> StatementAsync(Guid member) =>
        TestData.Succeeded(await Database.Get<RebateAccounts>().StatementAsync(TestData.Admin, member, "CNY", Ct));

    [Fact]
    public async Task APaidOrder_CreditsBothLevelsPending_RoundedDownToTheCent()
    {
        await PlanAsync(Terms(level1: 10m, level2: 5m));
        var (group, grandparent, parent, buyer) = await _data.ReferralChainAsync();

        await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Mid, 399.99m), paid: true);

        var first = await StatementAsync(parent);
        var second = await StatementAsync(grandparent);
        Assert.Equal((39.99m, 0m, 0m), (first.Pending, first.Available, first.PaidOut)); // 39.999 rounds down
        Assert.Equal((19.99m, 0m, 0m), (second.Pending, second.Available, second.PaidOut)); // 19.9995 rounds down
        var line = Assert.Single(first.Entries);
        Assert.Equal((RebateEntryKind.Earned, 1, PostgresFixture.Start.AddDays(7)), (line.Kind, line.Level, line.AvailableAt));
        Assert.Equal(2, Assert.Single(second.Entries).Level);
        Assert.Empty((await StatementAsync(buyer)).Entries);
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task TierOverridesCapsAndExclusions_DecideWhatAnOrderEarns()
    {
        await PlanAsync(Terms(level1: 10m, level2: 0m, minimum: 20m, cap: 30m, tiers: new TierRate(FunnelStage.High, 20m, 0m)));
        var (group, _, parent, buyer) = await _data.ReferralChainAsync();

        await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Low, 19.9m), paid: true); // below the minimum
        await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Low, 99m, kind: ProductKind.Traffic), paid: true); // traffic
        await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Mid, 100m), paid: true); // 10 % = 10
        await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.High, 3000m), paid: true); // 20 % = 600, capped at 30

        var statement = await StatementAsync(parent);
        Assert.Equal(new[] { 30m, 10m }, statement.Entries.Select(e => e.Amount).ToArray());
        Assert.Equal(40m, statement.Pending);
    }

    [Fact]
    public async Task FlashSaleOrders_EarnOnlyWhenThePlanIncludesThem()
    {
        await PlanAsync(Terms(level2: 0m, flashSales: false));
        var (group, _, parent, buyer) = await _data.ReferralChainAsync();
        var sale = await _data.FlashSaleAsync(group, price: 50m);
        var claim = TestData.Succeeded(await Database.Get<Application.Sales.FlashSaleService>().ClaimForAsync(TestData.Admin, sale, buyer, 1, "key-1", Ct));

        TestData.Succeeded(await Orders.PayAsync(TestData.Admin, claim.OrderId, Ct));

        Assert.Empty((await StatementAsync(parent)).Entries);
    }

    [Fact]
    public async Task TheHold_EndsOnTheClock_ThenTheRebateIsAvailable()
    {
        await PlanAsync(Terms(level2: 0m, holdDays: 7));
        var (group, _, parent, buyer) = await _data.ReferralChainAsync();
        await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Mid, 200m), paid: true);
        var ledger = Database.Get<RebateLedger>();

        Database.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await ledger.ReleaseDueAsync(Ct));
        Assert.Equal((20m, 0m), ((await StatementAsync(parent)).Pending, (await StatementAsync(parent)).Available));

        Database.Clock.Advance(TimeSpan.FromSeconds(1));
        var releases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ledger.ReleaseDueAsync(Ct))));

        Assert.Equal(1, releases.Sum()); // four instances at once release it once
        var statement = await StatementAsync(parent);
        Assert.Equal((0m, 20m), (statement.Pending, statement.Available));
        Assert.Equal(RebateEntryKind.Released, statement.Entries[0].Kind);
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task ARefundInTheHold_ReducesThenVoidsThePendingRebate_InProportion()
    {
        await PlanAsync(Terms(level1: 10m, level2: 5m));
        var (group, grandparent, parent, buyer) = await _data.ReferralChainAsync();
        var order = await OrderOfUnitsAsync(buyer, group, units: 3, unitPrice: 33.33m); // 99.99: 9.99 and 4.99

        var partial = TestData.Succeeded(await Orders.RefundAsync(TestData.Admin, order, new RefundRequest(Quantity: 1), Ct));
        Assert.Equal((OrderStatus.Paid, 33.33m), (partial.Status, partial.RefundedAmount));
        Assert.Equal(6.66m, (await StatementAsync(parent)).Pending); // 9.99 - round(9.99 / 3) = 9.99 - 3.33
        Assert.Equal(3.33m, (await StatementAsync(grandparent)).Pending); // 4.99 - round(1.6633...) = 4.99 - 1.66

        var rest = TestData.Succeeded(await Orders.RefundAsync(TestData.Admin, order, Ct));
        Assert.Equal((OrderStatus.Refunded, 99.99m), (rest.Status, rest.RefundedAmount));
        var voided = await StatementAsync(parent);
        Assert.Equal((0m, 0m), (voided.Pending, voided.Available));
        Assert.All(voided.Entries.Where(e => e.Kind != RebateEntryKind.Earned), e => Assert.Equal(RebateEntryKind.Voided, e.Kind));
        Assert.Equal(0m, (await StatementAsync(grandparent)).Pending);
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task ARefundAfterRelease_ClawsBackWithANegativeEntry_AndTheBalanceMayGoBelowZero()
    {
        await PlanAsync(Terms(level1: 10m, level2: 0m, holdDays: 1));
        var (group, _, parent, buyer) = await _data.ReferralChainAsync();
        var order = await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Mid, 300m), paid: true);
        Database.Clock.Advance(TimeSpan.FromDays(1));
        await Database.Get<RebateLedger>().ReleaseDueAsync(Ct);
        await PayOutAsync(parent, 30m); // the partner has been paid the 30 already

        TestData.Succeeded(await Orders.RefundAsync(TestData.Admin, order, new RefundRequest(Amount: 100m), Ct));

        var statement = await StatementAsync(parent);
        Assert.Equal((0m, -10m, 30m), (statement.Pending, statement.Available, statement.PaidOut));
        Assert.Equal((RebateEntryKind.ClawedBack, -10m), (statement.Entries[0].Kind, statement.Entries[0].Amount));

        // A later rebate makes up for the negative balance.
        var another = await _data.MemberAsync(group, "Another", referrerId: parent);
        await _data.OrderAsync(another, group, await _data.ProductAsync(FunnelStage.Mid, 250m), paid: true);
        Database.Clock.Advance(TimeSpan.FromDays(1));
        await Database.Get<RebateLedger>().ReleaseDueAsync(Ct);
        Assert.Equal(15m, (await StatementAsync(parent)).Available);
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task ARefundDuringTheHold_IsSplitBetweenPendingAndAvailable_WhenPartWasReleased()
    {
        await PlanAsync(Terms(level1: 10m, level2: 0m, holdDays: 1));
        var (group, _, parent, buyer) = await _data.ReferralChainAsync();
        var order = await OrderOfUnitsAsync(buyer, group, units: 4, unitPrice: 25m); // 100: 10
        TestData.Succeeded(await Orders.RefundAsync(TestData.Admin, order, new RefundRequest(Quantity: 1), Ct)); // 2.50 voided, 7.50 pending
        Database.Clock.Advance(TimeSpan.FromDays(1));
        await Database.Get<RebateLedger>().ReleaseDueAsync(Ct); // 7.50 available

        TestData.Succeeded(await Orders.RefundAsync(TestData.Admin, order, Ct));

        var statement = await StatementAsync(parent);
        Assert.Equal((0m, 0m), (statement.Pending, statement.Available));
        Assert.Equal([RebateEntryKind.ClawedBack, RebateEntryKind.Released, RebateEntryKind.Voided, RebateEntryKind.Earned], statement.Entries.Select(e => e.Kind));
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task ConcurrentAndRetriedPayments_CreditOnce()
    {
        await PlanAsync(Terms(level1: 10m, level2: 5m));
        var (group, grandparent, parent, buyer) = await _data.ReferralChainAsync();
        var orders = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            orders.Add(await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Mid, 100m)));
        }

        await Task.WhenAll(orders.SelectMany(o => Enumerable.Range(0, 6).Select(_ => Task.Run(() => Orders.PayAsync(TestData.Admin, o, Ct)))));
        foreach (var order in orders)
        {
            TestData.Succeeded(await Orders.PayAsync(TestData.Admin, order, Ct)); // a retry after the fact
        }

        Assert.Equal(50m, (await StatementAsync(parent)).Pending);
        Assert.Equal(25m, (await StatementAsync(grandparent)).Pending);
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task ConcurrentRefundsAndReleases_NeverTakeFromPendingWhatWasReleased()
    {
        await PlanAsync(Terms(level1: 10m, level2: 5m, holdDays: 1));
        var (group, _, _, buyer) = await _data.ReferralChainAsync();
        var orders = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            orders.Add(await OrderOfUnitsAsync(buyer, group, units: 3, unitPrice: 33.33m));
        }

        Database.Clock.Advance(TimeSpan.FromDays(1));
        var ledger = Database.Get<RebateLedger>();
        var work = orders.SelectMany(o => new[]
        {
            Task.Run(() => Orders.RefundAsync(TestData.Admin, o, new RefundRequest(Quantity: 1), Ct)),
            Task.Run(() => Orders.RefundAsync(TestData.Admin, o, new RefundRequest(Amount: 10m), Ct)),
        }).Append(Task.Run(async () => { await ledger.ReleaseDueAsync(Ct); return default(Application.Common.Result<OrderView>); })).ToList();
        await Task.WhenAll(work);
        await ledger.ReleaseDueAsync(Ct);

        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task TheLedger_RefusesEditsAndDeletes()
    {
        await PlanAsync(Terms(level2: 0m));
        var (group, _, _, buyer) = await _data.ReferralChainAsync();
        await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Mid, 100m), paid: true);
        await using var db = await Database.CreateDbContextAsync();

        var edit = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("UPDATE funnel.rebate_entries SET pending_delta = 99", Ct));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM funnel.rebate_entries", Ct));

        Assert.Contains("append-only", edit.MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.MessageText, StringComparison.Ordinal);
        Assert.Equal(1, await db.RebateEntries.CountAsync(Ct));
    }

    [Fact]
    public async Task PaymentsAndRebates_AreQueuedInTheOutbox_AndRelayedOnce()
    {
        await PlanAsync(Terms(level2: 0m));
        var (group, _, _, buyer) = await _data.ReferralChainAsync();
        await using (var before = await Database.CreateDbContextAsync())
        {
            await before.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.RelayedAt, PostgresFixture.Start), Ct); // the joins
        }

        await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Mid, 100m), paid: true);

        await using var db = await Database.CreateDbContextAsync();
        var queued = await db.OutboxMessages.Where(m => m.RelayedAt == null).OrderBy(m => m.Id).ToListAsync(Ct);
        Assert.Equal([PublishedEvents.MemberStageChanged, PublishedEvents.OrderPaid, PublishedEvents.RebateCredited], queued.Select(m => m.Type).Order());
        using var credited = System.Text.Json.JsonDocument.Parse(queued.Single(m => m.Type == PublishedEvents.RebateCredited).Payload);
        Assert.Equal(10m, credited.RootElement.GetProperty("amount").GetDecimal());
        Assert.Equal(3, await Database.Get<OutboxRelay>().DrainAsync(Ct));
        Assert.Equal(0, await Database.Get<OutboxRelay>().DrainAsync(Ct));
    }

    [Theory]
    [InlineData(-1, 0, 7, "invalid_percent", "level1Percent")]
    [InlineData(101, 0, 7, "invalid_percent", "level1Percent")]
    [InlineData(10, 20, 7, "level2_above_level1", "level2Percent")]
    [InlineData(60, 50, 7, "rates_above_100", "level2Percent")]
    [InlineData(10, 5, -1, "invalid_hold_days", "holdDays")]
    public async Task BadPlans_AreRefusedWithASpecificError_AndNothingIsSaved(double level1, double level2, int hold, string code, string field)
    {
        var result = await Database.Get<CommissionPlans>().SaveAsync(TestData.Admin, "CNY", Terms((decimal)level1, (decimal)level2, hold), Ct);

        Assert.Equal((code, field), (result.Failure?.Code, result.Failure?.Violations[0].Field));
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.CommissionPlans.AnyAsync(Ct));
    }

    private async Task<Guid> OrderOfUnitsAsync(Guid member, Guid group, int units, decimal unitPrice)
    {
        var product = await _data.ProductAsync(unitPrice < 100m ? FunnelStage.Low : FunnelStage.Mid, unitPrice);
        var order = TestData.Succeeded(await Orders.RecordAsync(TestData.Admin, new OrderInput(member, group, product, units, null), Ct));
        TestData.Succeeded(await Orders.PayAsync(TestData.Admin, order.Id, Ct));
        return order.Id;
    }

    /// <summary>Stands in for a payout batch marked paid, as the ledger records one.</summary>
    private async Task PayOutAsync(Guid member, decimal amount)
    {
        await using var db = await Database.CreateDbContextAsync();
        db.RebateEntries.Add(RebateEntry.PayOut(member, "CNY", Guid.NewGuid(), amount, Database.Clock.GetUtcNow()));
        await db.SaveChangesAsync(Ct);
    }
}
