using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Members;

/// <summary>A person joined a group (a new member, or a known one in a further group).</summary>
public sealed record MemberJoined(Guid MemberId, Guid GroupId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record MemberStageChanged(Guid MemberId, FunnelStage From, FunnelStage To, string Reason, Guid? OrderId, DateTimeOffset OccurredAt)
    : IDomainEvent;
