namespace CommunityFunnel.Application.Access;

/// <summary>An operator may see and change this group. Admins see every group without one.</summary>
public sealed class GroupAssignment
{
    private GroupAssignment()
    {
    }

    public GroupAssignment(string userId, Guid groupId)
    {
        UserId = userId;
        GroupId = groupId;
    }

    public string UserId { get; private set; } = "";
    public Guid GroupId { get; private set; }
}
