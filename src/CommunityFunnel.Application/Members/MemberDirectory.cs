using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Members;

/// <summary>The read side: the paged member grid of a group and one member's full profile.</summary>
public sealed class MemberDirectory(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    public async Task<Result<Page<MemberRow>>> ListAsync(Actor actor, Guid groupId, MemberQuery query, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Groups.AnyAsync(g => g.Id == groupId, ct))
        {
            return Failure.NotFound("The group");
        }

        if (!await db.CanAccessGroupAsync(actor, groupId, ct))
        {
            return Failure.Forbidden("this group");
        }

        // Ids come from the membership row so "newest first" walks the (group_id, joined_at, member_id) index.
        var rows =
            from gm in db.GroupMemberships
            join m in db.Members on gm.MemberId equals m.Id
            where gm.GroupId == groupId
            select new { Id = gm.MemberId, m.DisplayName, m.Phone, m.Stage, gm.JoinedAt, gm.Tags };

        var filtered = query.Stage is not null || !string.IsNullOrWhiteSpace(query.Search);
        if (query.Stage is { } stage)
        {
            rows = rows.Where(r => r.Stage == stage);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var text = query.Search.Trim();
            var pattern = $"%{Like.Escape(text)}%";
            var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
            var phonePattern = digits.Length >= 3 ? $"%{digits}%" : null;
            // Phones are stored in E.164, without the national trunk prefix people type ("0151 ..." is "+49151...").
            var national = digits.TrimStart('0');
            var nationalPattern = national.Length >= 3 && national != digits ? $"%{national}%" : null;
            rows = rows.Where(r => EF.Functions.ILike(r.DisplayName, pattern, Like.EscapeCharacter)
                || (phonePattern != null && EF.Functions.Like(r.Phone!, phonePattern))
                || (nationalPattern != null && EF.Functions.Like(r.Phone!, nationalPattern)));
        }

        var total = filtered ? await rows.CountAsync(ct) : await db.GroupMemberships.CountAsync(gm => gm.GroupId == groupId, ct);
        var sorted = (query.SortBy, query.Descending) switch
        {
            (MemberSort.Name, false) => rows.OrderBy(r => r.DisplayName.ToLower()).ThenBy(r => r.Id), // people expect "alice" before "Bob"
            (MemberSort.Name, true) => rows.OrderByDescending(r => r.DisplayName.ToLower()).ThenBy(r => r.Id),
            // Stages are stored by name: sort by their place on the ladder, not by the alphabet.
            (MemberSort.Stage, false) => rows.OrderBy(r => r.Stage == FunnelStage.Free ? 0 : r.Stage == FunnelStage.Low ? 1 : r.Stage == FunnelStage.Mid ? 2 : r.Stage == FunnelStage.High ? 3 : 4).ThenBy(r => r.Id),
            (MemberSort.Stage, true) => rows.OrderByDescending(r => r.Stage == FunnelStage.Free ? 0 : r.Stage == FunnelStage.Low ? 1 : r.Stage == FunnelStage.Mid ? 2 : r.Stage == FunnelStage.High ? 3 : 4).ThenBy(r => r.Id),
            (_, false) => rows.OrderBy(r => r.JoinedAt).ThenBy(r => r.Id),
            _ => rows.OrderByDescending(r => r.JoinedAt).ThenByDescending(r => r.Id),
        };
        var page = PageRequest.Create(query.PageIndex, query.PageSize, MaxPageSize);
        if (page.Failure is { } pageFailure)
        {
            return pageFailure;
        }

        var items = await sorted.Skip(page.Value.Offset).Take(page.Value.Size)
            .Select(r => new MemberRow(r.Id, r.DisplayName, r.Phone, r.Stage, r.JoinedAt, r.Tags))
            .ToListAsync(ct);
        return new Page<MemberRow>(items, total);
    }

    public async Task<Result<MemberProfile>> GetProfileAsync(Actor actor, Guid memberId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindMemberForAsync(actor, memberId, ct);
        if (found.Value is not { } member)
        {
            return found.Failure!;
        }

        var visibleGroupIds = db.VisibleGroupIds(actor);
        var groups = await (
                from gm in db.GroupMemberships
                join g in db.Groups on gm.GroupId equals g.Id
                where gm.MemberId == memberId && visibleGroupIds.Contains(g.Id)
                orderby gm.JoinedAt
                select new MemberGroup(g.Id, g.Name, gm.JoinedAt, gm.Tags, gm.Notes))
            .ToListAsync(ct);

        var orders = await (
                from o in db.Orders
                join p in db.Products on o.ProductId equals p.Id
                where o.MemberId == memberId && visibleGroupIds.Contains(o.GroupId)
                orderby o.CreatedAt descending
                select new MemberOrderRow(o.Id, o.GroupId, p.Name, o.Tier, o.Quantity, o.UnitPrice, o.Currency, o.Status, o.CreatedAt,
                    db.GroupBuys.Any(g => g.Id == o.GroupBuyId && g.SettledAt == null), o.RefundedAmount))
            .ToListAsync(ct);

        // Everything below counts only what happened in groups the actor runs: an operator learns nothing about the
        // member's life in other groups, not even through totals or counts.
        var referrerName = member.ReferrerId is { } rid && await db.CanAccessMemberAsync(actor, rid, ct)
            ? await db.Members.Where(m => m.Id == rid).Select(m => m.DisplayName).SingleOrDefaultAsync(ct)
            : null;
        var referredCount = await db.Members.CountAsync(
            m => m.ReferrerId == memberId && db.GroupMemberships.Any(gm => gm.MemberId == m.Id && visibleGroupIds.Contains(gm.GroupId)), ct);
        var paidAt = await db.Orders.Where(o => o.MemberId == memberId && o.Status == OrderStatus.Paid && visibleGroupIds.Contains(o.GroupId))
            .Select(o => new { o.PaidAt, o.Tier, o.Currency, Total = o.UnitPrice * o.Quantity - o.RefundedAmount }) // net of partial refunds
            .ToListAsync(ct);

        var profile = paidAt.Count == 0
            ? new WillingnessToPay(null, 0, 0, null, 0, null)
            : BuildProfile(paidAt.Select(p => (p.Currency, p.Total, p.Tier, p.PaidAt!.Value)).ToList());

        // A transition names the order that caused it: the member's own, or a referred member's whose refund undid a
        // Sharing promotion. Either way it belongs to that order's group.
        var causingOrders = member.Transitions.Where(t => t.OrderId is not null).Select(t => t.OrderId!.Value).Distinct().ToList();
        var visibleOrders = (await db.Orders.Where(o => causingOrders.Contains(o.Id) && visibleGroupIds.Contains(o.GroupId)).Select(o => o.Id).ToListAsync(ct)).ToHashSet();
        var visibleGroups = groups.Select(g => g.GroupId).ToHashSet();
        var timeline = member.Transitions
            .Where(t => actor.IsAdmin || (t.OrderId is { } orderId ? visibleOrders.Contains(orderId) : t.GroupId is not { } groupId || visibleGroups.Contains(groupId)))
            .OrderByDescending(t => t.At)
            .ToList();

        var joinedAt = actor.IsAdmin ? member.JoinedAt : groups.Min(g => g.JoinedAt); // when they joined elsewhere is not the operator's to know
        return new MemberProfile(member.Id, member.DisplayName, member.Phone, member.ExternalId, member.Stage, joinedAt,
            referrerName is null ? null : member.ReferrerId, referrerName, referredCount, groups, member.ReferralCode, profile, timeline, orders);
    }

    /// <summary>Totals are in the member's main currency (the one most of their paid orders used).</summary>
    private static WillingnessToPay BuildProfile(List<(string Currency, decimal Total, FunnelStage Tier, DateTimeOffset PaidAt)> paid)
    {
        var main = paid.GroupBy(p => p.Currency).OrderByDescending(g => g.Count()).First();
        var total = main.Sum(p => p.Total);
        return new WillingnessToPay(main.Key, total, paid.Count, paid.Max(p => p.Tier), decimal.Round(total / main.Count(), 2), paid.Max(p => p.PaidAt));
    }
}
