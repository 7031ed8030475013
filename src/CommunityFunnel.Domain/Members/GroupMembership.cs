namespace CommunityFunnel.Domain.Members;

/// <summary>A member's place in one group. A member may be in several groups; the stage is merchant-wide.</summary>
public sealed class GroupMembership
{
    private GroupMembership()
    {
    }

    public GroupMembership(Guid groupId, Guid memberId, DateTimeOffset joinedAt)
    {
        GroupId = groupId;
        MemberId = memberId;
        JoinedAt = joinedAt;
    }

    public Guid GroupId { get; private set; }
    public Guid MemberId { get; private set; }
    public DateTimeOffset JoinedAt { get; private set; }
}
