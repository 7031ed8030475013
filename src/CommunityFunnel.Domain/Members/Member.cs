using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Members;

/// <summary>
/// A person known to the merchant. The funnel stage is merchant-wide; every change is kept in <see cref="Transitions"/>.
/// </summary>
public sealed class Member : EventSource
{
    public const int DisplayNameMaxLength = 100;

    private readonly List<StageTransition> _transitions = [];

    private Member()
    {
    }

    public Member(string displayName, string? phone, string? externalId, DateTimeOffset joinedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        Id = Guid.CreateVersion7(joinedAt);
        DisplayName = displayName;
        Phone = phone;
        ExternalId = externalId;
        JoinedAt = joinedAt;
        Stage = FunnelStage.Free;
        SessionStamp = Guid.NewGuid();
    }

    public Guid Id { get; private set; }
    public string DisplayName { get; private set; } = "";
    public string? Phone { get; private set; }
    public string? ExternalId { get; private set; }
    public DateTimeOffset JoinedAt { get; private set; }
    public Guid? ReferrerId { get; private set; }

    /// <summary>The code in this member's referral link, assigned by the database (so bulk imports get one too).</summary>
    public string ReferralCode { get; private set; } = null!; // null until saved, so the database assigns it
    public FunnelStage Stage { get; private set; }
    public uint Version { get; private set; }

    /// <summary>Every member session carries the stamp it was opened with; a new stamp ends them all.</summary>
    public Guid SessionStamp { get; private set; }

    /// <summary>The Telegram account that signs this member in (Telegram Login), once they confirmed their phone with it.</summary>
    public long? TelegramUserId { get; private set; }
    public IReadOnlyList<StageTransition> Transitions => _transitions;

    public void Rename(string displayName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        DisplayName = displayName;
    }

    public void SetContact(string? phone, string? externalId)
    {
        Phone = phone;
        ExternalId = externalId;
    }

    /// <summary>Records who brought this member in. A member cannot refer themselves; the first referrer sticks.</summary>
    public bool SetReferrer(Guid referrerId)
    {
        if (referrerId == Id || ReferrerId is not null)
        {
            return false;
        }

        ReferrerId = referrerId;
        return true;
    }

    /// <summary>A paid order moves the member up to the tier paid for; a purchase never moves anyone down.</summary>
    public StageChangeOutcome RecordPurchase(FunnelStage paidTier, Guid orderId, DateTimeOffset at)
    {
        if (!paidTier.IsPaidTier())
        {
            return StageChangeOutcome.NotAllowed;
        }

        if (paidTier <= Stage)
        {
            return StageChangeOutcome.AlreadyAtStage;
        }

        Move(paidTier, at, $"Paid for a {paidTier} product", changedBy: null, orderId);
        return StageChangeOutcome.Moved;
    }

    /// <summary>
    /// Undoes what a refunded order caused. The stage falls back to the higher of the last stage an operator (or the
    /// sharing rule, while its promotion stands) set and <paramref name="stillJustified"/>, the highest tier among the
    /// member's other paid orders; a refund never moves anyone up, and a stage some other decision justifies stays.
    /// </summary>
    public StageChangeOutcome ReverseOrder(Guid orderId, FunnelStage stillJustified, DateTimeOffset at)
    {
        var target = Max(DecidedStage(includeSharingRule: true), stillJustified);
        if (target >= Stage)
        {
            return StageChangeOutcome.AlreadyAtStage;
        }

        Move(target, at, "Order refunded", changedBy: null, orderId);
        return StageChangeOutcome.Moved;
    }

    /// <summary>
    /// An operator's decision: any stage, either direction, always with a reason. <paramref name="groupId"/> is the group
    /// the operator decided in (null for a merchant-wide decision), so operators of other groups do not read it.
    /// </summary>
    public StageChangeOutcome MoveTo(FunnelStage target, string reason, string changedBy, DateTimeOffset at, Guid? groupId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(changedBy);
        if (target == Stage)
        {
            return StageChangeOutcome.AlreadyAtStage;
        }

        Move(target, at, reason, changedBy, orderId: null, groupId);
        return StageChangeOutcome.Moved;
    }

    /// <summary>Automatic promotion to partner once the sharing entry rule is met; never a demotion.</summary>
    public StageChangeOutcome PromoteToSharing(string reason, DateTimeOffset at)
    {
        if (Stage == FunnelStage.Sharing)
        {
            return StageChangeOutcome.AlreadyAtStage;
        }

        Move(FunnelStage.Sharing, at, reason, changedBy: null, orderId: null);
        return StageChangeOutcome.Moved;
    }

    /// <summary>
    /// Undoes a Sharing stage the sharing rule gave, once a refund of <paramref name="refundedOrderId"/> (a referred
    /// member's order) means the rule no longer holds. The stage falls back to the higher of the last stage an operator
    /// set and <paramref name="stillJustified"/>, the highest tier among the member's own paid orders. A Sharing stage
    /// an operator decided stays (<see cref="StageChangeOutcome.NotAllowed"/>); so does any other stage.
    /// </summary>
    public StageChangeOutcome RevokeSharing(Guid refundedOrderId, FunnelStage stillJustified, string reason, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (Stage != FunnelStage.Sharing)
        {
            return StageChangeOutcome.AlreadyAtStage;
        }

        if (_transitions.Count == 0 || !_transitions[^1].IsSharingRulePromotion)
        {
            return StageChangeOutcome.NotAllowed; // an operator decided it
        }

        Move(Max(DecidedStage(includeSharingRule: false), stillJustified), at, reason, changedBy: null, refundedOrderId);
        return StageChangeOutcome.Moved;
    }

    /// <summary>
    /// The stage people decided: the last operator decision, or (with <paramref name="includeSharingRule"/>) a later
    /// Sharing promotion by the rule that has not been revoked since; Free when there is neither.
    /// </summary>
    private FunnelStage DecidedStage(bool includeSharingRule)
    {
        var revoked = !includeSharingRule;
        for (var i = _transitions.Count - 1; i >= 0; i--)
        {
            var t = _transitions[i];
            if (t.ChangedBy is not null)
            {
                return t.To;
            }

            if (t.IsSharingRulePromotion && !revoked)
            {
                return FunnelStage.Sharing;
            }

            revoked |= t.IsSharingRevocation;
        }

        return FunnelStage.Free;
    }

    private static FunnelStage Max(FunnelStage a, FunnelStage b) => a >= b ? a : b;

    private void Move(FunnelStage target, DateTimeOffset at, string reason, string? changedBy, Guid? orderId, Guid? groupId = null)
    {
        _transitions.Add(new StageTransition(Stage, target, at, reason, changedBy, orderId, groupId));
        Raise(new MemberStageChanged(Id, Stage, target, reason, orderId, at));
        Stage = target;
    }
}
