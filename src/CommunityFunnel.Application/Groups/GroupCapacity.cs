using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Groups;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Groups;

/// <summary>
/// A group admits at most its capacity. Every path that adds memberships locks the group's row in its transaction first
/// (<see cref="Locked"/>), counts, and writes before committing, so concurrent joins cannot overshoot.
/// </summary>
public static class GroupCapacity
{
    /// <summary>The failure code when a group has no place left.</summary>
    public const string GroupFull = "group_full";

    /// <summary>The group's row, locked until the transaction ends.</summary>
    public static IQueryable<Group> Locked(CommunityFunnelDbContext db, Guid groupId) =>
        db.Groups.FromSql($"SELECT *, xmin FROM funnel.groups WHERE id = {groupId} FOR UPDATE"); // xmin: the row version EF reads

    public static async Task<int> PlacesLeftAsync(CommunityFunnelDbContext db, Group group, CancellationToken ct) =>
        group.Capacity - await db.GroupMemberships.CountAsync(gm => gm.GroupId == group.Id, ct);

    public static Failure Full(Group group) =>
        Failure.Conflict(GroupFull, $"The group is full: it admits {group.Capacity:N0} members. Raise its capacity to add more.");
}
