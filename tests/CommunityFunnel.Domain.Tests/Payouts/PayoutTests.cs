using CommunityFunnel.Domain.Payouts;
using CommunityFunnel.Domain.Rebates;

namespace CommunityFunnel.Domain.Tests.Payouts;

public sealed class PayoutTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Ada = Guid.CreateVersion7();
    private static readonly Guid Bo = Guid.CreateVersion7();

    private static Payout Batch() => new("CNY", 50m, [(Ada, 120.5m), (Bo, 50m)], Now, "admin");

    [Fact]
    public void Constructor_RefusesAPartnerBelowTheMinimum()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Payout("CNY", 50m, [(Ada, 49.99m)], Now, "admin"));
    }

    [Fact]
    public void Constructor_GivesEachItemAShortReference_AndKeepsItOpen()
    {
        var payout = Batch();

        Assert.All(payout.Items, i => Assert.Matches("^PO-[0-9A-F]{8}$", i.Reference));
        Assert.Equal(2, payout.Items.Select(i => i.Reference).Distinct().Count());
        Assert.All(payout.Items, i => Assert.True(i.IsOpen));
        Assert.Equal(170.5m, payout.Total);
    }

    [Fact]
    public void MarkPaid_WritesOnePaidOutEntryPerIncludedItem_AndSkipsTheHeldBack()
    {
        var payout = Batch();
        Assert.Equal(PayoutChangeOutcome.Changed, payout.HoldBack(Bo, "bank details missing"));

        var payment = payout.MarkPaid(Now.AddDays(1), "admin");

        Assert.Equal(PayoutChangeOutcome.Changed, payment.Outcome);
        var entry = Assert.Single(payment.LedgerEntries);
        Assert.Equal((RebateEntryKind.PaidOut, Ada, 120.5m, -120.5m, payout.ItemOf(Ada)!.Id), (entry.Kind, entry.MemberId, entry.PaidOutDelta, entry.AvailableDelta, entry.SourceId));
        var paid = Assert.IsType<PayoutPaid>(Assert.Single(payout.TakeEvents()));
        Assert.Equal((payout.Id, Ada, 120.5m, "CNY"), (paid.PayoutId, paid.MemberId, paid.Amount, paid.Currency));
        Assert.All(payout.Items, i => Assert.False(i.IsOpen));
        Assert.Equal(PayoutStatus.Paid, payout.Status);
    }

    [Fact]
    public void MarkPaid_IsAlreadyDone_TheSecondTime_AndWritesNothing()
    {
        var payout = Batch();
        payout.MarkPaid(Now, "admin");
        payout.TakeEvents();

        var again = payout.MarkPaid(Now.AddMinutes(1), "someone else");

        Assert.Equal((PayoutChangeOutcome.AlreadyDone, 0), (again.Outcome, again.LedgerEntries.Count));
        Assert.Empty(payout.TakeEvents());
        Assert.Equal("admin", payout.PaidBy);
    }

    [Fact]
    public void MarkPaid_PaysNothing_WhenEveryItemIsHeldBack()
    {
        var payout = Batch();
        payout.HoldBack(Ada, "disputed");
        payout.HoldBack(Bo, "disputed");

        Assert.Equal(PayoutChangeOutcome.NothingIncluded, payout.MarkPaid(Now, "admin").Outcome);
        Assert.Equal(PayoutStatus.Draft, payout.Status);
    }

    [Fact]
    public void HoldBackAndInclude_AreRefused_OnceThePayoutIsPaidOrCancelled()
    {
        var paid = Batch();
        paid.MarkPaid(Now, "admin");
        var cancelled = Batch();
        Assert.Equal(PayoutChangeOutcome.Changed, cancelled.Cancel(Now));

        Assert.Equal(PayoutChangeOutcome.NotAllowed, paid.HoldBack(Ada, "too late"));
        Assert.Equal(PayoutChangeOutcome.NotAllowed, cancelled.Include(Ada));
        Assert.Equal(PayoutChangeOutcome.NotAllowed, cancelled.MarkPaid(Now, "admin").Outcome);
        Assert.Equal(PayoutChangeOutcome.NotAllowed, paid.Cancel(Now));
        Assert.All(cancelled.Items, i => Assert.False(i.IsOpen));
    }

    [Fact]
    public void Include_BringsAHeldBackItemBack_WithoutItsReason()
    {
        var payout = Batch();
        payout.HoldBack(Ada, "check the phone number");

        Assert.Equal(PayoutChangeOutcome.AlreadyDone, payout.HoldBack(Ada, "check the phone number"));
        Assert.Equal(PayoutChangeOutcome.Changed, payout.Include(Ada));

        Assert.Equal((PayoutItemStatus.Included, null), (payout.ItemOf(Ada)!.Status, payout.ItemOf(Ada)!.HoldReason));
        Assert.Equal(PayoutChangeOutcome.AlreadyDone, payout.Include(Ada));
    }
}
