using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Members;

/// <summary>
/// A member's place in one group. A member may be in several groups; the stage is merchant-wide, while the tags and
/// notes operators keep about the person belong to the group they were written in, read only by that group's operators.
/// </summary>
public sealed class GroupMembership : EventSource
{
    public const int NotesMaxLength = 2000;
    public const int MaxTags = 20;
    public const int TagMaxLength = 40;

    private GroupMembership()
    {
    }

    public GroupMembership(Guid groupId, Guid memberId, DateTimeOffset joinedAt)
    {
        GroupId = groupId;
        MemberId = memberId;
        JoinedAt = joinedAt;
        Raise(new MemberJoined(memberId, groupId, joinedAt));
    }

    public Guid GroupId { get; private set; }
    public Guid MemberId { get; private set; }
    public DateTimeOffset JoinedAt { get; private set; }
    public List<string> Tags { get; private set; } = [];
    public string Notes { get; private set; } = "";

    public void Describe(IEnumerable<string> tags, string notes)
    {
        Tags = [.. tags];
        Notes = notes;
    }
}
