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
    Guid? GroupId = null);
