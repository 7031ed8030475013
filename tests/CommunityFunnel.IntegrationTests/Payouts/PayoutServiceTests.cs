using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Payouts;
using CommunityFunnel.Domain.Payouts;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.IntegrationTests.Infrastructure;
using CommunityFunnel.IntegrationTests.Rebates;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Payouts;

public sealed class PayoutServiceTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);
    private readonly Partners _partners = new(database);

    private PayoutService Payouts => Database.Get<PayoutService>();

    public override async ValueTask DisposeAsync()
    {
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
        await base.DisposeAsync();
    }

    [Fact]
    public async Task CreateAsync_TakesEveryPartnerAtOrAboveTheMinimum_AtTheirAvailableBalance()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var atMinimum = await _partners.WithAvailableAsync(group, "At the minimum", 50m);
        var above = await _partners.WithAvailableAsync(group, "Above", 120.35m);
        var below = await _partners.WithAvailableAsync(group, "Just below", 49.99m);
        await _partners.EarnAsync(above, group, 30m, release: false); // pending: not payable yet
        var onlyPending = await _data.MemberAsync(group, "Only pending");
        await _partners.EarnAsync(onlyPending, group, 90m, release: false);

        var payout = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "cny", 50m, Ct));

        Assert.Equal((PayoutStatus.Draft, "CNY", 50m), (payout.Status, payout.Currency, payout.Minimum));
        Assert.Equal(
            new[] { (above, 120.35m), (atMinimum, 50m) }.OrderBy(p => p.Item1),
            payout.Items.Select(i => (i.MemberId, i.Amount)).OrderBy(p => p.MemberId));
        Assert.Equal(170.35m, payout.Total);
        Assert.All(payout.Items, i => Assert.Matches("^PO-[0-9A-F]{8}$", i.Reference));
        Assert.DoesNotContain(payout.Items, i => i.MemberId == below || i.MemberId == onlyPending);
        Assert.Equal((30m, 120.35m, 0m), await BalancesAsync(above)); // making a batch moves no money
    }

    [Fact]
    public async Task MarkPaidAsync_PaysTheIncluded_AndNotTheHeldBack()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var paid = await _partners.WithAvailableAsync(group, "Ada", 60m);
        var held = await _partners.WithAvailableAsync(group, "Bo", 80m);
        var payout = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 50m, Ct));

        var holding = TestData.Succeeded(await Payouts.HoldBackAsync(TestData.Admin, payout.Id, held, "  Bank account name does not match  ", Ct));
        var result = TestData.Succeeded(await Payouts.MarkPaidAsync(TestData.Admin, payout.Id, Ct));

        Assert.Equal((PayoutItemStatus.HeldBack, "Bank account name does not match"), Item(holding, held));
        Assert.Equal((PayoutStatus.Paid, 60m), (result.Status, result.Total));
        Assert.Equal((0m, 0m, 60m), await BalancesAsync(paid));
        Assert.Equal((0m, 80m, 0m), await BalancesAsync(held));
        await using var db = await Database.CreateDbContextAsync();
        var entry = Assert.Single(await db.RebateEntries.Where(e => e.Kind == RebateEntryKind.PaidOut).ToListAsync(Ct));
        var paidItem = await db.PayoutItems.SingleAsync(i => i.MemberId == paid, Ct);
        Assert.Equal((paid, paidItem.Id, 60m, 0), (entry.MemberId, entry.SourceId, entry.PaidOutDelta, entry.Level));

        var next = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 50m, Ct)); // the held-back partner waits for the next batch
        Assert.Equal((held, 80m), Assert.Single(next.Items.Select(i => (i.MemberId, i.Amount))));
    }

    [Fact]
    public async Task MarkPaidAsync_WritesEachPaidOutEntryOnce_WhenEightCallsRaceOnSeparateInstances()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var members = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            members.Add(await _partners.WithAvailableAsync(group, $"Partner {i}", 20m + i));
        }

        var payout = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 20m, Ct));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Payouts.MarkPaidAsync(TestData.Admin, payout.Id, Ct))));

        Assert.All(results, r => Assert.Equal(PayoutStatus.Paid, TestData.Succeeded(r).Status)); // each caller is told it is paid
        await using var db = await Database.CreateDbContextAsync();
        var entries = await db.RebateEntries.Where(e => e.Kind == RebateEntryKind.PaidOut).ToListAsync(Ct);
        Assert.Equal(members.Order(), entries.Select(e => e.MemberId).Order());
        Assert.Equal(110m, entries.Sum(e => e.PaidOutDelta));
        Assert.Equal(5, await db.OutboxMessages.CountAsync(m => m.Type == PublishedEvents.PayoutPaid, Ct));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "payout.paid", Ct));
        foreach (var member in members)
        {
            Assert.Equal(0m, (await BalancesAsync(member)).Available);
        }
    }

    [Fact]
    public async Task AHoldRacingThePayment_EitherKeepsThePartnerUnpaid_OrIsRefused()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var ada = await _partners.WithAvailableAsync(group, "Ada", 40m);
        var bo = await _partners.WithAvailableAsync(group, "Bo", 60m);
        var payout = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 10m, Ct));

        var hold = Task.Run(() => Payouts.HoldBackAsync(TestData.Admin, payout.Id, bo, "disputed", Ct));
        var paid = Task.Run(() => Payouts.MarkPaidAsync(TestData.Admin, payout.Id, Ct));
        var (held, _) = (await hold, TestData.Succeeded(await paid));

        var final = TestData.Succeeded(await Payouts.GetAsync(TestData.Admin, payout.Id, Ct));
        var boPaidOut = (await BalancesAsync(bo)).PaidOut;
        if (held.Succeeded)
        {
            Assert.Equal((PayoutItemStatus.HeldBack, 0m), (final.Items.Single(i => i.MemberId == bo).Status, boPaidOut));
        }
        else
        {
            Assert.Equal(("payout_paid", PayoutItemStatus.Included, 60m), (held.Failure!.Code, final.Items.Single(i => i.MemberId == bo).Status, boPaidOut));
        }

        Assert.Equal(40m, (await BalancesAsync(ada)).PaidOut);
    }

    [Fact]
    public async Task MarkPaidAsync_PublishesPayoutPaid_PerPartner()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var partner = await _partners.WithAvailableAsync(group, "Ada", 42.5m);
        var payout = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 10m, Ct));

        TestData.Succeeded(await Payouts.MarkPaidAsync(TestData.Admin, payout.Id, Ct));
        TestData.Succeeded(await Payouts.MarkPaidAsync(TestData.Admin, payout.Id, Ct));

        await using var db = await Database.CreateDbContextAsync();
        var message = await db.OutboxMessages.SingleAsync(m => m.Type == PublishedEvents.PayoutPaid, Ct);
        using var payload = System.Text.Json.JsonDocument.Parse(message.Payload);
        var root = payload.RootElement;
        Assert.Equal((payout.Id, partner, 42.5m, "CNY", payout.Items[0].Reference),
            (root.GetProperty("payoutId").GetGuid(), root.GetProperty("memberId").GetGuid(), root.GetProperty("amount").GetDecimal(),
                root.GetProperty("currency").GetString(), root.GetProperty("reference").GetString()));
    }

    [Fact]
    public async Task GetAsync_ShowsEachPartnersAvailableBalanceNow_SoAClawbackSinceTheBatchWasMadeShows()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var ada = await _data.MemberAsync(group, "Ada");
        var refunded = await _partners.EarnAsync(ada, group, 30m);
        await _partners.EarnAsync(ada, group, 20m);
        var bo = await _partners.WithAvailableAsync(group, "Bo", 40m);
        var made = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 10m, Ct));
        Assert.All(made.Items, i => Assert.Equal(i.Amount, i.AvailableNow));

        TestData.Succeeded(await Database.Get<OrderService>().RefundAsync(TestData.Admin, refunded, Ct)); // claws back Ada's 30
        var draft = TestData.Succeeded(await Payouts.GetAsync(TestData.Admin, made.Id, Ct));
        TestData.Succeeded(await Payouts.MarkPaidAsync(TestData.Admin, made.Id, Ct));
        var paid = TestData.Succeeded(await Payouts.GetAsync(TestData.Admin, made.Id, Ct));

        Assert.Equal([(ada, 50m, 20m), (bo, 40m, 40m)], Balances(draft)); // the batch still pays 50; Ada has 20
        Assert.Equal([(ada, 50m, -30m), (bo, 40m, 0m)], Balances(paid)); // paid 50 with 20 left: Ada is 30 below zero
    }

    [Fact]
    public async Task CreateAsync_LeavesOutAPartnerInAnUnpaidBatchOfTheCurrency_ButNotOfAnother()
    {
        await _partners.PlanAsync();
        await _partners.PlanAsync("EUR");
        var shanghai = await _data.GroupAsync();
        var berlin = await _data.GroupAsync("Kaffee", "EUR", "Europe/Berlin");
        var partner = await _partners.WithAvailableAsync(shanghai, "Ada", 50m);
        var first = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 10m, Ct));
        await _partners.EarnAsync(partner, shanghai, 25m); // more available while the first batch waits
        await _partners.EarnAsync(partner, berlin, 3m, "EUR");

        var again = await Payouts.CreateAsync(TestData.Admin, "CNY", 10m, Ct);
        var euros = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "EUR", 1m, Ct));

        Assert.Equal(("nothing_to_pay", FailureKind.Unprocessable), (again.Failure?.Code, again.Failure?.Kind));
        Assert.Equal((partner, 3m), Assert.Single(euros.Items.Select(i => (i.MemberId, i.Amount))));

        TestData.Succeeded(await Payouts.MarkPaidAsync(TestData.Admin, first.Id, Ct));
        var afterPayment = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 10m, Ct));
        Assert.Equal((partner, 25m), Assert.Single(afterPayment.Items.Select(i => (i.MemberId, i.Amount)))); // what was earned since, not the 50 again

        TestData.Succeeded(await Payouts.CancelAsync(TestData.Admin, afterPayment.Id, Ct));
        var afterCancel = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 10m, Ct));
        Assert.Equal((partner, 25m), Assert.Single(afterCancel.Items.Select(i => (i.MemberId, i.Amount))));
    }

    [Fact]
    public async Task CreateAsync_PutsEachPartnerInOneBatch_WhenFourAdminsMakeOneAtOnce()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        for (var i = 0; i < 3; i++)
        {
            await _partners.WithAvailableAsync(group, $"Partner {i}", 30m);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Payouts.CreateAsync(TestData.Admin, "CNY", 10m, Ct))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal("nothing_to_pay", r.Failure!.Code)); // the others wait, then find everyone taken
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(3, await db.PayoutItems.CountAsync(Ct));
        Assert.Equal(3, await db.PayoutItems.Select(i => i.MemberId).Distinct().CountAsync(Ct));
    }

    [Theory]
    [InlineData("CNY", 0, "invalid_minimum")]
    [InlineData("CNY", -5, "invalid_minimum")]
    [InlineData("CNY", 10.005, "invalid_minimum")]
    [InlineData("JPY", 100.5, "invalid_minimum")]
    [InlineData("XYZ", 10, "unknown_currency")]
    [InlineData("", 10, "unknown_currency")]
    public async Task CreateAsync_RefusesBadInput_AndWritesNothing(string currency, double minimum, string code)
    {
        await _partners.PlanAsync();
        await _partners.WithAvailableAsync(await _data.GroupAsync(), "Ada", 50m);

        var result = await Payouts.CreateAsync(TestData.Admin, currency, (decimal)minimum, Ct);

        Assert.Equal((FailureKind.Invalid, code), (result.Failure?.Kind, result.Failure?.Code));
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.Payouts.AnyAsync(Ct));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Category == Application.Audit.AuditCategory.Payouts, Ct));
    }

    [Fact]
    public async Task CreateAsync_RefusesAMissingMinimum()
    {
        var result = await Payouts.CreateAsync(TestData.Admin, "CNY", null, Ct);

        Assert.Equal("invalid_minimum", result.Failure?.Code);
        Assert.Equal("minimum", Assert.Single(result.Failure!.Violations).Field);
    }

    [Fact]
    public async Task EveryPayoutAction_IsRefusedToAnOperator_AndChangesNothing()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var partner = await _partners.WithAvailableAsync(group, "Ada", 50m);
        var payout = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 10m, Ct));
        var op = await _data.OperatorAsync("op@test.local", group);

        Failure?[] failures =
        [
            (await Payouts.CreateAsync(op, "CNY", 10m, Ct)).Failure,
            (await Payouts.ListLatestAsync(op, Ct)).Failure,
            (await Payouts.ListPageAsync(op, null, null, Ct)).Failure,
            (await Payouts.GetAsync(op, payout.Id, Ct)).Failure,
            (await Payouts.HoldBackAsync(op, payout.Id, partner, "mine", Ct)).Failure,
            (await Payouts.IncludeAsync(op, payout.Id, partner, Ct)).Failure,
            (await Payouts.MarkPaidAsync(op, payout.Id, Ct)).Failure,
            (await Payouts.CancelAsync(op, payout.Id, Ct)).Failure,
            (await Database.Get<PayoutCsvExporter>().ExportAsync(op, payout.Id, Stream.Null, Ct)).Failure,
        ];

        Assert.All(failures, f => Assert.Equal(FailureKind.Forbidden, f?.Kind));
        Assert.Equal(PayoutStatus.Draft, TestData.Succeeded(await Payouts.GetAsync(TestData.Admin, payout.Id, Ct)).Status);
        Assert.Equal((0m, 50m, 0m), await BalancesAsync(partner));
    }

    [Fact]
    public async Task HoldBackAndCancel_AreRefused_OnceThePayoutIsPaid()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var partner = await _partners.WithAvailableAsync(group, "Ada", 50m);
        var payout = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 10m, Ct));
        Assert.Equal("reason_required", (await Payouts.HoldBackAsync(TestData.Admin, payout.Id, partner, "  ", Ct)).Failure?.Code);
        Assert.Equal("not_found", (await Payouts.HoldBackAsync(TestData.Admin, payout.Id, Guid.CreateVersion7(), "who?", Ct)).Failure?.Code);
        TestData.Succeeded(await Payouts.MarkPaidAsync(TestData.Admin, payout.Id, Ct));

        Assert.Equal("payout_paid", (await Payouts.HoldBackAsync(TestData.Admin, payout.Id, partner, "too late", Ct)).Failure?.Code);
        Assert.Equal("payout_paid", (await Payouts.CancelAsync(TestData.Admin, payout.Id, Ct)).Failure?.Code);
        Assert.Equal((0m, 0m, 50m), await BalancesAsync(partner));
    }

    [Fact]
    public async Task MarkPaidAsync_IsRefused_WhenEveryPartnerIsHeldBack()
    {
        await _partners.PlanAsync();
        var partner = await _partners.WithAvailableAsync(await _data.GroupAsync(), "Ada", 50m);
        var payout = TestData.Succeeded(await Payouts.CreateAsync(TestData.Admin, "CNY", 10m, Ct));
        TestData.Succeeded(await Payouts.HoldBackAsync(TestData.Admin, payout.Id, partner, "disputed order", Ct));

        var result = await Payouts.MarkPaidAsync(TestData.Admin, payout.Id, Ct);

        Assert.Equal(("nothing_included", FailureKind.Unprocessable), (result.Failure?.Code, result.Failure?.Kind));
        var included = TestData.Succeeded(await Payouts.IncludeAsync(TestData.Admin, payout.Id, partner, Ct));
        Assert.Equal((PayoutItemStatus.Included, null), Item(included, partner));
    }

    private static (Guid Member, decimal Amount, decimal AvailableNow)[] Balances(PayoutDetails payout) =>
        [.. payout.Items.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => (i.MemberId, i.Amount, i.AvailableNow))];

    private static (PayoutItemStatus, string?) Item(PayoutDetails payout, Guid member)
    {
        var item = payout.Items.Single(i => i.MemberId == member);
        return (item.Status, item.HoldReason);
    }

    private async Task<(decimal Pending, decimal Available, decimal PaidOut)> BalancesAsync(Guid member)
    {
        var statement = await _partners.StatementAsync(member);
        return (statement.Pending, statement.Available, statement.PaidOut);
    }
}
