namespace CommunityFunnel.Domain.Members;

/// <summary>One kept stage change: who or which order caused it, when and why.</summary>
public sealed record StageTransition(
    FunnelStage From,
    FunnelStage To,
    DateTimeOffset At,
    string Reason,
    string? ChangedBy,
    Guid? OrderId);
