using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Portal;

public enum MagicLinkProblem
{
    Invalid,
    Expired,
    Used,
    Revoked,
}

/// <summary>A personal link's token (shown once, never stored) and when it stops working.</summary>
public sealed record PersonalLink(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Personal sign-in links an operator sends a member. A link is a random token whose hash is a row: opening it marks
/// the row used in one conditional UPDATE, so it opens exactly one session even when opened twice at once on two
/// instances. Revoking a member's links also changes their session stamp, which ends every session already open.
/// </summary>
public sealed class MemberLinks(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    private const int TokenBytes = 32;

    /// <summary>
    /// A link for a member the actor can see. Its session sees <paramref name="groupId"/> only, or without one, the
    /// member's groups the actor runs (an admin's link: all of them).
    /// </summary>
    public async Task<Result<PersonalLink>> CreateAsync(Actor actor, Guid memberId, Guid? groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindMemberForAsync(actor, memberId, ct);
        if (found.Value is not { } member)
        {
            return found.Failure!;
        }

        var memberships = db.GroupMemberships.Where(gm => gm.MemberId == memberId);
        List<Guid>? scope = null;
        if (groupId is { } id)
        {
            var group = await db.FindGroupForAsync(actor, id, ct);
            if (group.Failure is { } failure)
            {
                return failure;
            }

            if (!await memberships.AnyAsync(gm => gm.GroupId == id, ct))
            {
                return Failure.Unprocessable("not_in_group", "The member is not in this group.", "groupId");
            }

            scope = [id];
        }
        else if (!actor.IsAdmin)
        {
            var visible = db.VisibleGroupIds(actor);
            scope = await memberships.Where(gm => visible.Contains(gm.GroupId)).Select(gm => gm.GroupId).ToListAsync(ct);
        }

        var token = Base64Url(RandomNumberGenerator.GetBytes(TokenBytes));
        var now = clock.GetUtcNow();
        var link = new MemberLink(memberId, Hash(token), scope, actor.Name, now, now + Lifetime);
        db.MemberLinks.Add(link);
        db.Audit(now, AuditCategory.Access, actor, "member.link_created", member.DisplayName,
            scope is null ? "Personal link for all of the member's groups." : $"Personal link for {scope.Count} of the member's groups.");
        await db.SaveChangesAsync(ct);
        return new PersonalLink(token, link.ExpiresAt);
    }

    /// <summary>Exchanges a token for the session it opens, once; or says why it cannot (unknown, expired, used, revoked).</summary>
    public async Task<(MemberScope? Scope, MagicLinkProblem? Problem)> RedeemAsync(string token, CancellationToken ct)
    {
        if (token.Length > 64)
        {
            return (null, MagicLinkProblem.Invalid);
        }

        var hash = Hash(token);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var opened = await db.MemberLinks
            .Where(l => l.TokenHash == hash && l.UsedAt == null && l.RevokedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
        var link = await db.MemberLinks.AsNoTracking().Where(l => l.TokenHash == hash)
            .Select(l => new { l.MemberId, l.GroupIds, l.UsedAt, l.RevokedAt }).SingleOrDefaultAsync(ct);
        if (link is null)
        {
            return (null, MagicLinkProblem.Invalid);
        }

        if (opened == 1)
        {
            return (new MemberScope(link.MemberId, link.GroupIds), null);
        }

        return (null, link.RevokedAt is not null ? MagicLinkProblem.Revoked : link.UsedAt is not null ? MagicLinkProblem.Used : MagicLinkProblem.Expired);
    }

    /// <summary>Ends every session of the member and withdraws every link not yet opened.</summary>
    public async Task<Result<int>> RevokeAllAsync(Actor actor, Guid memberId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindMemberForAsync(actor, memberId, ct);
        if (found.Value is not { } member)
        {
            return found.Failure!;
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Members.Where(m => m.Id == memberId).ExecuteUpdateAsync(s => s.SetProperty(m => m.SessionStamp, Guid.NewGuid()), ct);
        var withdrawn = await db.MemberLinks.Where(l => l.MemberId == memberId && l.UsedAt == null && l.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), ct);
        db.Audit(now, AuditCategory.Access, actor, "member.sessions_revoked", member.DisplayName,
            $"Signed out everywhere; {withdrawn} unopened personal links withdrawn.");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return withdrawn;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
