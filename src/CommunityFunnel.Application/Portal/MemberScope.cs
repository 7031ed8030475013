namespace CommunityFunnel.Application.Portal;

/// <summary>
/// A member session: who, and which of their groups it may see. A member who signed themselves in sees all their
/// groups (<see cref="GroupIds"/> null); a personal link an operator made sees only that operator's groups.
/// </summary>
public sealed record MemberScope(Guid MemberId, IReadOnlyList<Guid>? GroupIds)
{
    public static MemberScope AllGroupsOf(Guid memberId) => new(memberId, null);

    public bool Allows(Guid groupId) => GroupIds is null || GroupIds.Contains(groupId);
}
