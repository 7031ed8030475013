using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Orders;

public sealed class OrderServiceTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private OrderService Orders => Database.Get<OrderService>();

    [Fact]
    public async Task PayAsync_PromotesOnce_WhenTheSameOrderIsPaidConcurrently()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        var order = await _data.OrderAsync(member, group, await _data.ProductAsync(FunnelStage.Mid, 399m));

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => Orders.PayAsync(TestData.Admin, order, Ct))));

        Assert.All(results, r => Assert.Equal(OrderStatus.Paid, r.Value?.Status));
        await using var db = await Database.CreateDbContextAsync();
        var saved = await db.Members.SingleAsync(m => m.Id == member, Ct);
        Assert.Equal(FunnelStage.Mid, saved.Stage);
        Assert.Single(saved.Transitions);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "member.stage", Ct));
    }

    [Fact]
    public async Task PayAsync_EndsAtTheHighestTier_WhenTwoOrdersOfOneMemberArePaidAtOnce()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        var low = await _data.OrderAsync(member, group, await _data.ProductAsync(FunnelStage.Low, 29.9m));
        var high = await _data.OrderAsync(member, group, await _data.ProductAsync(FunnelStage.High, 3999m));

        await Task.WhenAll(Task.Run(() => Orders.PayAsync(TestData.Admin, low, Ct)), Task.Run(() => Orders.PayAsync(TestData.Admin, high, Ct)));

        await using var db = await Database.CreateDbContextAsync();
        var saved = await db.Members.SingleAsync(m => m.Id == member, Ct);
        Assert.Equal(FunnelStage.High, saved.Stage);
        Assert.Equal(2, await db.Orders.CountAsync(o => o.MemberId == member && o.Status == OrderStatus.Paid, Ct));
    }

    [Fact]
    public async Task RefundAsync_ReversesTheMoveItCaused_UnlessAnotherPaidOrderJustifiesTheStage()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        var low = await _data.OrderAsync(member, group, await _data.ProductAsync(FunnelStage.Low, 99m), paid: true);
        var mid = await _data.OrderAsync(member, group, await _data.ProductAsync(FunnelStage.Mid, 399m), paid: true);

        var afterMidRefund = await Orders.RefundAsync(TestData.Admin, mid, Ct);
        Assert.Equal((OrderStatus.Refunded, FunnelStage.Low), (afterMidRefund.Value!.Status, afterMidRefund.Value.MemberStage));

        var again = await Orders.RefundAsync(TestData.Admin, mid, Ct);
        Assert.Equal(FunnelStage.Low, again.Value!.MemberStage); // a retried refund changes nothing

        var afterLowRefund = await Orders.RefundAsync(TestData.Admin, low, Ct);
        Assert.Equal(FunnelStage.Free, afterLowRefund.Value!.MemberStage);
    }

    [Fact]
    public async Task RefundAsync_RefundsOnce_WhenOneKeyIsSentSeveralTimesAtOnce()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        var order = await _data.OrderAsync(member, group, await _data.ProductAsync(FunnelStage.Mid, 399m), paid: true);

        // Each call has its own DbContext and transaction, as two app instances answering a client's retry would.
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => Orders.RefundAsync(TestData.Admin, order, new RefundRequest(Amount: 50m), "twice-at-once", Ct))));

        var receipts = results.Select(TestData.Succeeded).ToList();
        Assert.Single(receipts, r => !r.Replayed);
        Assert.All(receipts, r => Assert.Equal((OrderStatus.Paid, 50m), (r.Order.Status, r.Order.RefundedAmount)));
        await using var db = await Database.CreateDbContextAsync();
        var refund = await db.OrderRefunds.SingleAsync(r => r.OrderId == order, Ct);
        Assert.Equal((50m, RefundBasis.Amount, "twice-at-once", TestData.Admin.Name), (refund.Amount, refund.Basis, refund.IdempotencyKey, refund.RefundedBy));
        Assert.Equal(50m, (await db.Orders.SingleAsync(o => o.Id == order, Ct)).RefundedAmount);
    }

    [Fact]
    public async Task StateChanges_AreRefused_WhenTheOrderIsInTheWrongState()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        var order = await _data.OrderAsync(member, group, await _data.ProductAsync());

        var refund = await Orders.RefundAsync(TestData.Admin, order, Ct);
        Assert.Equal(("invalid_order_state", FailureKind.Conflict), (refund.Failure?.Code, refund.Failure?.Kind));

        await Orders.CancelAsync(TestData.Admin, order, Ct);
        var pay = await Orders.PayAsync(TestData.Admin, order, Ct);
        Assert.Equal("invalid_order_state", pay.Failure?.Code);
    }

    [Fact]
    public async Task RecordAsync_RefusesBadInput_AndWritesNothing()
    {
        var group = await _data.GroupAsync();
        var otherGroup = await _data.GroupAsync("Other");
        var member = await _data.MemberAsync(group);
        var stranger = await _data.MemberAsync(otherGroup, "Stranger");
        var product = await _data.ProductAsync();
        var euroProduct = await _data.ProductAsync(FunnelStage.Low, 9.9m, "EUR");
        var inactive = await _data.ProductAsync(FunnelStage.Low, 19.9m);
        await Database.Get<ProductService>().SetActiveAsync(TestData.Admin, inactive, active: false, Ct);

        var cases = new (OrderInput Input, string Code)[]
        {
            (new OrderInput(stranger, group, product, 1, null), "not_in_group"),
            (new OrderInput(Guid.NewGuid(), group, product, 1, null), "unknown_member"),
            (new OrderInput(member, group, product, 0, null), "invalid_quantity"),
            (new OrderInput(member, group, product, 1000, null), "invalid_quantity"),
            (new OrderInput(member, group, product, 1, -5m), "price_not_positive"),
            (new OrderInput(member, group, product, 1, 0m), "price_not_positive"),
            (new OrderInput(member, group, euroProduct, 1, null), "currency_mismatch"),
            (new OrderInput(member, group, inactive, 1, null), "product_inactive"),
            (new OrderInput(member, group, Guid.NewGuid(), 1, null), "unknown_product"),
        };

        foreach (var (input, code) in cases)
        {
            var result = await Orders.RecordAsync(TestData.Admin, input, Ct);
            Assert.Contains(result.Failure?.Violations ?? [], v => v.Code == code);
        }

        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(0, await db.Orders.CountAsync(Ct));
    }

    [Fact]
    public async Task Operator_CannotSeeOrChangeOrders_OfGroupsTheyDoNotRun()
    {
        var mine = await _data.GroupAsync("Mine");
        var theirs = await _data.GroupAsync("Theirs");
        var member = await _data.MemberAsync(theirs);
        var order = await _data.OrderAsync(member, theirs, await _data.ProductAsync());
        var op = await _data.OperatorAsync("op@test.local", mine);

        Assert.Equal(FailureKind.Forbidden, (await Orders.GetAsync(op, order, Ct)).Failure?.Kind);
        Assert.Equal(FailureKind.Forbidden, (await Orders.PayAsync(op, order, Ct)).Failure?.Kind);
        Assert.Equal(FailureKind.Forbidden, (await Orders.RecordAsync(op, new OrderInput(member, theirs, Guid.NewGuid(), 1, null), Ct)).Failure?.Kind);
        Assert.Equal(OrderStatus.Pending, (await Orders.GetAsync(TestData.Admin, order, Ct)).Value!.Status);
    }

    [Fact]
    public async Task PayAsync_PromotesTheReferrerToSharing_WhenEnoughReferredMembersHavePaid()
    {
        await Database.Get<PricingService>().SaveSharingRuleAsync(TestData.Admin, SharingRuleTerms.ReferredPayers(2), Ct);
        var group = await _data.GroupAsync();
        var referrer = await _data.MemberAsync(group, "Referrer");
        var first = await _data.MemberAsync(group, "First", referrerId: referrer);
        var second = await _data.MemberAsync(group, "Second", referrerId: referrer);
        var product = await _data.ProductAsync();

        await _data.OrderAsync(first, group, product, paid: true);
        await _data.OrderAsync(first, group, product, paid: true); // the same person paying twice counts once
        Assert.Equal(FunnelStage.Free, (await StageOf(referrer)));

        await _data.OrderAsync(second, group, product, paid: true);
        Assert.Equal(FunnelStage.Sharing, await StageOf(referrer));
    }

    [Fact]
    public async Task PayAsync_CountsEveryReferredPayer_WhenTheyPayAtTheSameMoment()
    {
        await Database.Get<PricingService>().SaveSharingRuleAsync(TestData.Admin, SharingRuleTerms.ReferredPayers(4), Ct);
        var group = await _data.GroupAsync();
        var referrer = await _data.MemberAsync(group, "Referrer");
        var product = await _data.ProductAsync();
        var orders = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var referred = await _data.MemberAsync(group, $"Friend {i}", referrerId: referrer);
            orders.Add(await _data.OrderAsync(referred, group, product));
        }

        await Task.WhenAll(orders.Select(o => Task.Run(() => Orders.PayAsync(TestData.Admin, o, Ct))));

        Assert.Equal(FunnelStage.Sharing, await StageOf(referrer));
    }

    [Fact]
    public async Task RefundAsync_UndoesTheReferrersSharingPromotion_WhenTooFewReferredPayersRemain()
    {
        await Database.Get<PricingService>().SaveSharingRuleAsync(TestData.Admin, SharingRuleTerms.ReferredPayers(2), Ct);
        var group = await _data.GroupAsync();
        var referrer = await _data.MemberAsync(group, "Referrer");
        await _data.OrderAsync(referrer, group, await _data.ProductAsync(FunnelStage.Low), paid: true);
        var first = await _data.MemberAsync(group, "First", referrerId: referrer);
        var second = await _data.MemberAsync(group, "Second", referrerId: referrer);
        var product = await _data.ProductAsync();
        var firstOrder = await _data.OrderAsync(first, group, product, paid: true);
        var firstAgain = await _data.OrderAsync(first, group, product, paid: true);
        await _data.OrderAsync(second, group, product, paid: true);
        Assert.Equal(FunnelStage.Sharing, await StageOf(referrer));

        TestData.Succeeded(await Orders.RefundAsync(TestData.Admin, firstOrder, Ct));
        Assert.Equal(FunnelStage.Sharing, await StageOf(referrer)); // First still has a paid order: still two payers

        TestData.Succeeded(await Orders.RefundAsync(TestData.Admin, firstAgain, Ct));
        Assert.Equal(FunnelStage.Low, await StageOf(referrer)); // back to what their own payment justifies
        await using var db = await Database.CreateDbContextAsync();
        var undo = (await db.Members.AsNoTracking().SingleAsync(m => m.Id == referrer, Ct)).Transitions[^1];
        Assert.Equal((FunnelStage.Sharing, FunnelStage.Low, firstAgain, null), (undo.From, undo.To, undo.OrderId, undo.ChangedBy));
        Assert.Contains("no longer met after a refund: 1 of 2", undo.Reason, StringComparison.Ordinal);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "member.stage" && e.Subject == "Referrer" && e.Details.StartsWith("Sharing -> Low"), Ct));

        await _data.OrderAsync(first, group, product, paid: true);
        Assert.Equal(FunnelStage.Sharing, await StageOf(referrer)); // earned again
    }

    [Fact]
    public async Task RefundAsync_KeepsASharingStageAnOperatorDecided()
    {
        await Database.Get<PricingService>().SaveSharingRuleAsync(TestData.Admin, SharingRuleTerms.ReferredPayers(1), Ct);
        var group = await _data.GroupAsync();
        var referrer = await _data.MemberAsync(group, "Referrer");
        TestData.Succeeded(await Database.Get<MemberService>().MoveStageAsync(TestData.Admin, referrer, FunnelStage.Sharing, "runs the tea club", Ct));
        var friend = await _data.MemberAsync(group, "Friend", referrerId: referrer);
        var order = await _data.OrderAsync(friend, group, await _data.ProductAsync(), paid: true);

        TestData.Succeeded(await Orders.RefundAsync(TestData.Admin, order, Ct));

        Assert.Equal(FunnelStage.Sharing, await StageOf(referrer));
    }

    [Theory]
    [InlineData(2, 1, false)] // three payers, two refund and one new pays at once: two remain
    [InlineData(1, 1, true)] // one refunds and one pays: three remain
    [InlineData(3, 3, true)]
    [InlineData(3, 2, false)]
    public async Task RefundsAndPaymentsAtOnce_LeaveTheReferrerAtTheRightStage(int refunds, int payments, bool sharing)
    {
        await Database.Get<PricingService>().SaveSharingRuleAsync(TestData.Admin, SharingRuleTerms.ReferredPayers(3), Ct);
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync();
        for (var round = 0; round < 5; round++)
        {
            var referrer = await _data.MemberAsync(group, $"Referrer {round}");
            var paid = new List<Guid>();
            for (var i = 0; i < 3; i++)
            {
                paid.Add(await _data.OrderAsync(await _data.MemberAsync(group, $"Payer {round}.{i}", referrerId: referrer), group, product, paid: true));
            }

            var pending = new List<Guid>();
            for (var i = 0; i < payments; i++)
            {
                pending.Add(await _data.OrderAsync(await _data.MemberAsync(group, $"Newcomer {round}.{i}", referrerId: referrer), group, product));
            }

            Assert.Equal(FunnelStage.Sharing, await StageOf(referrer));
            var changes = paid.Take(refunds).Select(o => Task.Run(() => Orders.RefundAsync(TestData.Admin, o, Ct)))
                .Concat(pending.Select(o => Task.Run(() => Orders.PayAsync(TestData.Admin, o, Ct))));
            Assert.All(await Task.WhenAll(changes), r => Assert.True(r.Succeeded, r.Failure?.Message));

            Assert.Equal(sharing ? FunnelStage.Sharing : FunnelStage.Free, await StageOf(referrer));
        }
    }

    private async Task<FunnelStage> StageOf(Guid memberId)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Members.Where(m => m.Id == memberId).Select(m => m.Stage).SingleAsync(Ct);
    }
}
