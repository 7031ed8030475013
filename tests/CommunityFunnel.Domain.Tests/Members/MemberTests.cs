using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Tests.Members;

public sealed class MemberTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static Member NewMember() => new("Ada", "13800138000", null, Now);

    [Fact]
    public void RecordPurchase_MovesUpToPaidTier_WhenTierIsHigher()
    {
        var member = NewMember();
        var order = Guid.NewGuid();

        var outcome = member.RecordPurchase(FunnelStage.Mid, order, Now);

        Assert.Equal(StageChangeOutcome.Moved, outcome);
        Assert.Equal(FunnelStage.Mid, member.Stage);
        var transition = Assert.Single(member.Transitions);
        Assert.Equal((FunnelStage.Free, FunnelStage.Mid, order), (transition.From, transition.To, transition.OrderId));
    }

    [Fact]
    public void RecordPurchase_NeverMovesDown_WhenTierIsLower()
    {
        var member = NewMember();
        member.RecordPurchase(FunnelStage.High, Guid.NewGuid(), Now);

        var outcome = member.RecordPurchase(FunnelStage.Low, Guid.NewGuid(), Now.AddDays(1));

        Assert.Equal(StageChangeOutcome.AlreadyAtStage, outcome);
        Assert.Equal(FunnelStage.High, member.Stage);
        Assert.Single(member.Transitions);
    }

    [Fact]
    public void RecordPurchase_KeepsSharingPartners_WhenTheyBuyAgain()
    {
        var member = NewMember();
        member.MoveTo(FunnelStage.Sharing, "partner", "op", Now);

        Assert.Equal(StageChangeOutcome.AlreadyAtStage, member.RecordPurchase(FunnelStage.High, Guid.NewGuid(), Now));
        Assert.Equal(FunnelStage.Sharing, member.Stage);
    }

    [Fact]
    public void RecordPurchase_IsRefused_WhenTierIsNotPaid()
    {
        var member = NewMember();

        Assert.Equal(StageChangeOutcome.NotAllowed, member.RecordPurchase(FunnelStage.Sharing, Guid.NewGuid(), Now));
        Assert.Equal(FunnelStage.Free, member.Stage);
    }

    [Fact]
    public void ReverseOrder_ReturnsToPreviousStage_WhenNothingElseJustifiesIt()
    {
        var member = NewMember();
        var order = Guid.NewGuid();
        member.RecordPurchase(FunnelStage.Low, order, Now);

        var outcome = member.ReverseOrder(order, stillJustified: FunnelStage.Free, Now.AddDays(1));

        Assert.Equal(StageChangeOutcome.Moved, outcome);
        Assert.Equal(FunnelStage.Free, member.Stage);
        Assert.Equal(order, member.Transitions[^1].OrderId);
    }

    [Fact]
    public void ReverseOrder_StopsAtTierOfAnotherPaidOrder_WhenOneStillCounts()
    {
        var member = NewMember();
        var low = Guid.NewGuid();
        var high = Guid.NewGuid();
        member.RecordPurchase(FunnelStage.Low, low, Now);
        member.RecordPurchase(FunnelStage.High, high, Now.AddDays(1));

        member.ReverseOrder(high, stillJustified: FunnelStage.Low, Now.AddDays(2));

        Assert.Equal(FunnelStage.Low, member.Stage);
    }

    [Fact]
    public void ReverseOrder_ChangesNothing_WhenAnotherPaidOrderJustifiesTheStage()
    {
        var member = NewMember();
        var first = Guid.NewGuid();
        member.RecordPurchase(FunnelStage.Mid, first, Now);
        member.RecordPurchase(FunnelStage.Mid, Guid.NewGuid(), Now.AddDays(1));

        var outcome = member.ReverseOrder(first, stillJustified: FunnelStage.Mid, Now.AddDays(2));

        Assert.Equal(StageChangeOutcome.AlreadyAtStage, outcome);
        Assert.Equal(FunnelStage.Mid, member.Stage);
    }

    [Fact]
    public void ReverseOrder_KeepsAnOperatorsDecision_WhenTheMemberWasMovedByHandSince()
    {
        var member = NewMember();
        var order = Guid.NewGuid();
        member.RecordPurchase(FunnelStage.Mid, order, Now);
        member.MoveTo(FunnelStage.Sharing, "great referrer", "op", Now.AddDays(1));

        member.ReverseOrder(order, stillJustified: FunnelStage.Free, Now.AddDays(2));

        Assert.Equal(FunnelStage.Sharing, member.Stage);
    }

    [Fact]
    public void ReverseOrder_FallsBackToTheStageAnOperatorSet_WhenThatIsHigherThanOtherOrders()
    {
        var member = NewMember();
        member.MoveTo(FunnelStage.Low, "bought offline", "op", Now);
        var order = Guid.NewGuid();
        member.RecordPurchase(FunnelStage.High, order, Now.AddDays(1));

        member.ReverseOrder(order, stillJustified: FunnelStage.Free, Now.AddDays(2));

        Assert.Equal(FunnelStage.Low, member.Stage);
    }

    [Fact]
    public void ReverseOrder_UndoesEachMove_WhenOrdersAreRefundedInAnyOrder()
    {
        var member = NewMember();
        var low = Guid.NewGuid();
        var mid = Guid.NewGuid();
        member.RecordPurchase(FunnelStage.Low, low, Now);
        member.RecordPurchase(FunnelStage.Mid, mid, Now.AddDays(1));

        member.ReverseOrder(mid, stillJustified: FunnelStage.Low, Now.AddDays(2));
        member.ReverseOrder(low, stillJustified: FunnelStage.Free, Now.AddDays(3));

        Assert.Equal(FunnelStage.Free, member.Stage);
        Assert.Equal(4, member.Transitions.Count);
    }

    [Fact]
    public void RevokeSharing_FallsBackToTheMembersOwnPaidTier_WhenTheRuleGaveSharing()
    {
        var member = NewMember();
        member.RecordPurchase(FunnelStage.Low, Guid.NewGuid(), Now);
        member.PromoteToSharing("3 referred members have paid", Now.AddDays(1));
        var refunded = Guid.NewGuid();

        var outcome = member.RevokeSharing(refunded, stillJustified: FunnelStage.Low, "2 of 3 referred members have paid", Now.AddDays(2));

        Assert.Equal(StageChangeOutcome.Moved, outcome);
        Assert.Equal(FunnelStage.Low, member.Stage);
        var undo = member.Transitions[^1];
        Assert.Equal((FunnelStage.Sharing, FunnelStage.Low, refunded, "2 of 3 referred members have paid"), (undo.From, undo.To, undo.OrderId, undo.Reason));
    }

    [Fact]
    public void RevokeSharing_FallsBackToTheLastOperatorDecision_WhenThatIsHigher()
    {
        var member = NewMember();
        member.MoveTo(FunnelStage.Mid, "bought offline", "op", Now);
        member.PromoteToSharing("3 referred members have paid", Now.AddDays(1));

        member.RevokeSharing(Guid.NewGuid(), stillJustified: FunnelStage.Low, "2 of 3 referred members have paid", Now.AddDays(2));

        Assert.Equal(FunnelStage.Mid, member.Stage);
    }

    [Fact]
    public void RevokeSharing_KeepsSharing_WhenAnOperatorDecidedIt()
    {
        var member = NewMember();
        member.MoveTo(FunnelStage.Sharing, "great referrer", "op", Now);

        var outcome = member.RevokeSharing(Guid.NewGuid(), stillJustified: FunnelStage.Free, "2 of 3 referred members have paid", Now.AddDays(1));

        Assert.Equal(StageChangeOutcome.NotAllowed, outcome);
        Assert.Equal(FunnelStage.Sharing, member.Stage);
        Assert.Single(member.Transitions);
    }

    [Fact]
    public void RevokeSharing_ChangesNothing_WhenTheMemberIsNotSharing()
    {
        var member = NewMember();
        member.RecordPurchase(FunnelStage.Mid, Guid.NewGuid(), Now);

        Assert.Equal(StageChangeOutcome.AlreadyAtStage, member.RevokeSharing(Guid.NewGuid(), FunnelStage.Mid, "no longer met", Now));
        Assert.Equal(FunnelStage.Mid, member.Stage);
    }

    [Fact]
    public void ReverseOrder_NoLongerCountsARevokedSharingPromotion()
    {
        var member = NewMember();
        var own = Guid.NewGuid();
        member.RecordPurchase(FunnelStage.Mid, own, Now);
        member.PromoteToSharing("3 referred members have paid", Now.AddDays(1));
        member.RevokeSharing(Guid.NewGuid(), stillJustified: FunnelStage.Mid, "2 of 3 referred members have paid", Now.AddDays(2));

        member.ReverseOrder(own, stillJustified: FunnelStage.Free, Now.AddDays(3));

        Assert.Equal(FunnelStage.Free, member.Stage);
    }

    [Fact]
    public void ReverseOrder_KeepsASharingPromotionThatStands_AndItCanBeGivenAndRevokedAgain()
    {
        var member = NewMember();
        var own = Guid.NewGuid();
        member.RecordPurchase(FunnelStage.Low, own, Now);
        member.PromoteToSharing("3 referred members have paid", Now.AddDays(1));
        member.RevokeSharing(Guid.NewGuid(), FunnelStage.Low, "2 of 3 referred members have paid", Now.AddDays(2));
        member.PromoteToSharing("3 referred members have paid", Now.AddDays(3));

        Assert.Equal(StageChangeOutcome.AlreadyAtStage, member.ReverseOrder(own, FunnelStage.Free, Now.AddDays(4)));
        Assert.Equal(FunnelStage.Sharing, member.Stage);
        member.RevokeSharing(Guid.NewGuid(), FunnelStage.Free, "2 of 3 referred members have paid", Now.AddDays(5));
        Assert.Equal(FunnelStage.Free, member.Stage);
    }

    [Fact]
    public void MoveTo_IsNoOp_WhenMemberIsAlreadyAtTarget()
    {
        var member = NewMember();
        member.MoveTo(FunnelStage.Mid, "upgrade", "op", Now);

        var outcome = member.MoveTo(FunnelStage.Mid, "retry", "op", Now.AddMinutes(1));

        Assert.Equal(StageChangeOutcome.AlreadyAtStage, outcome);
        Assert.Single(member.Transitions);
    }

    [Fact]
    public void MoveTo_RecordsWhoAndWhy_InEitherDirection()
    {
        var member = NewMember();
        member.MoveTo(FunnelStage.High, "VIP", "alice", Now);

        member.MoveTo(FunnelStage.Low, "mistake", "bob", Now.AddHours(1));

        Assert.Equal(FunnelStage.Low, member.Stage);
        Assert.Equal(("mistake", "bob"), (member.Transitions[^1].Reason, member.Transitions[^1].ChangedBy));
    }

    [Fact]
    public void SetReferrer_IsRefused_WhenMemberRefersThemselves()
    {
        var member = NewMember();

        Assert.False(member.SetReferrer(member.Id));
        Assert.Null(member.ReferrerId);
    }
}
