namespace CommunityFunnel.Domain.Members;

/// <summary>
/// One kept stage change: who or which order caused it, when and why, and for an operator's decision the group they
/// made it in (an order's group is the order's own).
/// </summary>
public sealed record StageTransition(
    FunnelStage From,
    FunnelStage To,
    DateTimeOffset At,
    string Reason,
    string? ChangedBy,
    Guid? OrderId,
    Guid? GroupId = null)
{
    /// <summary>The sharing rule's promotion: the only automatic move that names neither an operator nor an order.</summary>
    public bool IsSharingRulePromotion => ChangedBy is null && OrderId is null && To == FunnelStage.Sharing;

    /// <summary>
    /// The undoing of a sharing-rule promotion after a referred member's refund: the only automatic move out of
    /// Sharing (a member's own refund never moves them below a Sharing stage that people or the rule decided).
    /// </summary>
    public bool IsSharingRevocation => ChangedBy is null && From == FunnelStage.Sharing;
}
