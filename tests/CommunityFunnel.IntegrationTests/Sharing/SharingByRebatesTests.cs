using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.IntegrationTests.Infrastructure;
using CommunityFunnel.IntegrationTests.Rebates;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Sharing;

/// <summary>The sharing rule "rebates earned of at least X in the last 90 days": promotion, the window, and its reversal.</summary>
public sealed class SharingByRebatesTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private OrderService Orders => Database.Get<OrderService>();

    private async Task SetUpAsync(decimal required, decimal level1 = 10m, decimal level2 = 5m)
    {
        TestData.Succeeded(await Database.Get<CommissionPlans>().SaveAsync(TestData.Admin, "CNY", new CommissionTerms(level1, level2, 7, null, null, false, true, []), Ct));
        TestData.Succeeded(await Database.Get<PricingService>().SaveSharingRuleAsync(TestData.Admin, SharingRuleTerms.RebatesEarned(required, "CNY"), Ct));
    }

    [Fact]
    public async Task RebatesOfEitherLevel_PromoteAMember_OnceTheyReachTheAmount()
    {
        await SetUpAsync(required: 50m);
        var (group, grandparent, parent, buyer) = await _data.ReferralChainAsync();
        var product = await _data.ProductAsync(FunnelStage.Mid, 399.99m);

        await _data.OrderAsync(buyer, group, product, paid: true); // parent 39.99, grandparent 19.99
        Assert.Equal((FunnelStage.Free, FunnelStage.Free), (await StageOf(parent), await StageOf(grandparent)));

        await _data.OrderAsync(buyer, group, product, paid: true); // parent 79.98, grandparent 39.98
        Assert.Equal((FunnelStage.Sharing, FunnelStage.Free), (await StageOf(parent), await StageOf(grandparent)));
        Assert.Contains("79.98 of 50 CNY in rebates earned in 90 days", (await LastTransitionAsync(parent)).Reason, StringComparison.Ordinal);

        await _data.OrderAsync(buyer, group, product, paid: true); // grandparent 59.97: level 2 counts too
        Assert.Equal(FunnelStage.Sharing, await StageOf(grandparent));
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task RebatesOlderThan90Days_DoNotCount()
    {
        await SetUpAsync(required: 50m, level2: 0m);
        var (group, _, parent, buyer) = await _data.ReferralChainAsync();
        var product = await _data.ProductAsync(FunnelStage.Mid, 300m);

        await _data.OrderAsync(buyer, group, product, paid: true); // 30
        Database.Clock.Advance(TimeSpan.FromDays(90) + TimeSpan.FromMinutes(1));
        await _data.OrderAsync(buyer, group, product, paid: true); // 30 in the window, 60 in all
        Assert.Equal(FunnelStage.Free, await StageOf(parent));

        Database.Clock.Advance(TimeSpan.FromDays(89));
        await _data.OrderAsync(buyer, group, product, paid: true); // 60 in the window
        Assert.Equal(FunnelStage.Sharing, await StageOf(parent));
    }

    [Fact]
    public async Task AClawbackBelowTheAmount_MovesThePartnerBack_ToTheStageTheirOwnPurchasesJustify()
    {
        await SetUpAsync(required: 50m, level2: 0m);
        var (group, _, parent, buyer) = await _data.ReferralChainAsync();
        await _data.OrderAsync(parent, group, await _data.ProductAsync(FunnelStage.Low, 20m), paid: true);
        var first = await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Mid, 300m), paid: true);
        var second = await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Mid, 300m), paid: true);
        Assert.Equal(FunnelStage.Sharing, await StageOf(parent)); // 60

        TestData.Succeeded(await Orders.RefundAsync(TestData.Admin, first, new RefundRequest(Amount: 100m), Ct)); // 60 - 10 = 50: still met
        Assert.Equal(FunnelStage.Sharing, await StageOf(parent));

        TestData.Succeeded(await Orders.RefundAsync(TestData.Admin, second, new RefundRequest(Amount: 0.1m), Ct)); // 50 - 0.01 = 49.99
        Assert.Equal(FunnelStage.Low, await StageOf(parent));
        var undo = await LastTransitionAsync(parent);
        Assert.Equal((FunnelStage.Sharing, FunnelStage.Low, second, null), (undo.From, undo.To, undo.OrderId, undo.ChangedBy));
        Assert.Contains("no longer met after a refund: 49.99 of 50 CNY", undo.Reason, StringComparison.Ordinal);

        await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Mid, 100m), paid: true); // 59.99 again
        Assert.Equal(FunnelStage.Sharing, await StageOf(parent));
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task AClawbackKeepsASharingStageAnOperatorDecided()
    {
        await SetUpAsync(required: 10m, level2: 0m);
        var (group, _, parent, buyer) = await _data.ReferralChainAsync();
        TestData.Succeeded(await Database.Get<MemberService>().MoveStageAsync(TestData.Admin, parent, FunnelStage.Sharing, "runs the tea club", Ct));
        var order = await _data.OrderAsync(buyer, group, await _data.ProductAsync(FunnelStage.Mid, 300m), paid: true);

        TestData.Succeeded(await Orders.RefundAsync(TestData.Admin, order, Ct));

        Assert.Equal(FunnelStage.Sharing, await StageOf(parent));
    }

    [Fact]
    public async Task PaymentsAtTheSameMoment_AreAllCounted()
    {
        await SetUpAsync(required: 100m, level2: 0m);
        var (group, _, parent, _) = await _data.ReferralChainAsync();
        var product = await _data.ProductAsync(FunnelStage.Mid, 250m);
        var orders = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            orders.Add(await _data.OrderAsync(await _data.MemberAsync(group, $"Friend {i}", referrerId: parent), group, product)); // 25 each
        }

        await Task.WhenAll(orders.Select(o => Task.Run(() => Orders.PayAsync(TestData.Admin, o, Ct))));

        Assert.Equal(FunnelStage.Sharing, await StageOf(parent));
    }

    [Fact]
    public async Task PaymentsForAPartner_RacingRefundsThatRevoke_LeaveTheRightStage()
    {
        await SetUpAsync(required: 60m, level2: 0m);
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync(FunnelStage.Mid, 300m);
        for (var round = 0; round < 6; round++)
        {
            var parent = await _data.MemberAsync(group, $"Parent {round}");
            var paid = new List<Guid>();
            for (var i = 0; i < 2; i++)
            {
                paid.Add(await _data.OrderAsync(await _data.MemberAsync(group, $"Payer {round}.{i}", referrerId: parent), group, product, paid: true));
            }

            var pending = await _data.OrderAsync(await _data.MemberAsync(group, $"Newcomer {round}", referrerId: parent), group, product);
            Assert.Equal(FunnelStage.Sharing, await StageOf(parent)); // 60

            // The refund takes the partner to 30 and revokes; the payment brings 30 back: whichever order they commit in, 60 remains.
            await Task.WhenAll(
                Task.Run(() => Orders.RefundAsync(TestData.Admin, paid[0], Ct)),
                Task.Run(() => Orders.PayAsync(TestData.Admin, pending, Ct)));

            Assert.Equal(FunnelStage.Sharing, await StageOf(parent));
        }

        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Theory]
    [InlineData(0, "CNY", "invalid_rebates_required", "rebatesEarnedRequired")]
    [InlineData(-5, "CNY", "invalid_rebates_required", "rebatesEarnedRequired")]
    [InlineData(10.001, "CNY", "invalid_rebates_required", "rebatesEarnedRequired")]
    [InlineData(10.5, "JPY", "invalid_rebates_required", "rebatesEarnedRequired")]
    [InlineData(10, "XXX", "unknown_currency", "rebatesCurrency")]
    public async Task BadAmountsAndCurrencies_AreRefusedWithASpecificError_AndNothingChanges(double required, string currency, string code, string field)
    {
        var failure = (await Database.Get<PricingService>().SaveSharingRuleAsync(TestData.Admin, SharingRuleTerms.RebatesEarned((decimal)required, currency), Ct)).Failure;

        var error = Assert.Single(failure!.Violations);
        Assert.Equal((FailureKind.Invalid, code, field), (failure.Kind, error.Code, error.Field));
        Assert.Equal(SharingEntryMode.ChosenByOperator, (await Database.Get<PricingService>().GetSharingRuleAsync(Ct)).Mode);
    }

    private async Task<FunnelStage> StageOf(Guid memberId)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Members.Where(m => m.Id == memberId).Select(m => m.Stage).SingleAsync(Ct);
    }

    private async Task<StageTransition> LastTransitionAsync(Guid memberId)
    {
        await using var db = await Database.CreateDbContextAsync();
        return (await db.Members.AsNoTracking().SingleAsync(m => m.Id == memberId, Ct)).Transitions[^1];
    }
}
