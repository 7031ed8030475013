using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Access;

/// <summary>
/// The one place that decides which groups (and through them, which members and orders) an actor may touch.
/// Every service asks here on every read and every action; the menu hiding things is only a courtesy.
/// </summary>
public static class GroupAccess
{
    public static IQueryable<Group> VisibleGroups(this CommunityFunnelDbContext db, Actor actor) =>
        actor.IsAdmin
            ? db.Groups
            : db.Groups.Where(g => db.GroupAssignments.Any(a => a.GroupId == g.Id && a.UserId == actor.Id));

    public static IQueryable<Guid> VisibleGroupIds(this CommunityFunnelDbContext db, Actor actor) =>
        db.VisibleGroups(actor).Select(g => g.Id);

    /// <summary>Loads a group the actor may work in, or the failure to return: not found, or forbidden.</summary>
    public static Task<Result<Group>> FindGroupForAsync(this CommunityFunnelDbContext db, Actor actor, Guid groupId, CancellationToken ct) =>
        db.FindInGroupForAsync(actor, db.Groups.Where(g => g.Id == groupId), g => g.Id, "group", ct);

    /// <summary>Loads a member the actor may work with, or the failure to return: not found, or forbidden.</summary>
    public static async Task<Result<Member>> FindMemberForAsync(this CommunityFunnelDbContext db, Actor actor, Guid memberId, CancellationToken ct)
    {
        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == memberId, ct);
        if (member is null)
        {
            return Failure.NotFound("The member");
        }

        return await db.CanAccessMemberAsync(actor, memberId, ct) ? member : Failure.Forbidden("this member");
    }

    /// <summary>Loads one row that belongs to a group (a sale, an order, a template) if the actor may work in that group.</summary>
    public static async Task<Result<T>> FindInGroupForAsync<T>(this CommunityFunnelDbContext db, Actor actor, IQueryable<T> row, Func<T, Guid> groupOf, string what, CancellationToken ct)
        where T : class
    {
        var found = await row.SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return Failure.NotFound($"The {what}");
        }

        return await db.CanAccessGroupAsync(actor, groupOf(found), ct) ? found : Failure.Forbidden($"this {what}");
    }

    /// <summary>Why the actor may not work with this group-buy (not found, forbidden), or null when they may.</summary>
    public static async Task<Failure?> GroupBuyAccessFailureAsync(this CommunityFunnelDbContext db, Actor actor, Guid groupBuyId, CancellationToken ct) =>
        (await db.FindInGroupForAsync(actor, db.GroupBuys.Where(g => g.Id == groupBuyId).Select(g => new { g.GroupId }), g => g.GroupId, "group-buy", ct)).Failure;

    public static Task<bool> CanAccessGroupAsync(this CommunityFunnelDbContext db, Actor actor, Guid groupId, CancellationToken ct) =>
        actor.IsAdmin
            ? Task.FromResult(true)
            : db.GroupAssignments.AnyAsync(a => a.UserId == actor.Id && a.GroupId == groupId, ct);

    /// <summary>An operator sees a member who belongs to at least one of their groups.</summary>
    public static Task<bool> CanAccessMemberAsync(this CommunityFunnelDbContext db, Actor actor, Guid memberId, CancellationToken ct) =>
        actor.IsAdmin
            ? Task.FromResult(true)
            : db.GroupMemberships.AnyAsync(
                m => m.MemberId == memberId && db.GroupAssignments.Any(a => a.UserId == actor.Id && a.GroupId == m.GroupId), ct);
}
