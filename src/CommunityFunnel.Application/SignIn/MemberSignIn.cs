using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.SignIn;

/// <summary>
/// A member signs themselves in with a code sent to their phone. Having proved who they are, their session sees all of
/// their groups; the code also carries out what it was asked for: joining a group, linking a Telegram account.
/// </summary>
public sealed class MemberSignIn(SignInCodes codes, IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    /// <param name="country">The country of the group the member came from, for a phone written without its country code.</param>
    public Task<Result<CodeSent>> SendCodeAsync(string? phone, string? country, SignInIntent intent, string clientAddress, CancellationToken ct) =>
        codes.SendAsync(phone, country, intent, clientAddress, ct);

    public async Task<Result<MemberScope>> VerifyAsync(string? phone, string? country, string? code, string clientAddress, CancellationToken ct)
    {
        var verified = await codes.VerifyAsync(phone, country, code, clientAddress, ct);
        if (verified.Value is not { } proof)
        {
            return verified.Failure!;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var member = await db.Members.Where(m => m.Id == proof.MemberId).Select(m => new { m.DisplayName, m.TelegramUserId }).SingleAsync(ct);
        var now = clock.GetUtcNow();
        if (proof.Intent.JoinGroupId is { } groupId)
        {
            await JoinAsync(db, proof.MemberId, groupId, now, ct);
        }

        if (proof.Intent.TelegramUserId is { } telegramUserId && member.TelegramUserId != telegramUserId)
        {
            try
            {
                await db.Members.Where(m => m.Id == proof.MemberId).ExecuteUpdateAsync(s => s.SetProperty(m => m.TelegramUserId, telegramUserId), ct);
            }
            catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation) // ExecuteUpdate throws the provider's own
            {
                return Failure.Conflict("telegram_taken", "This Telegram account already signs in another member.");
            }

            db.Audit(now, AuditCategory.Access, Actor.System, "member.telegram_linked", member.DisplayName,
                "Linked a Telegram account after confirming their phone with a code.");
            await db.SaveChangesAsync(ct);
        }

        return MemberScope.AllGroupsOf(proof.MemberId);
    }

    /// <summary>The membership a join with a registered phone asked for, once the phone is proved (nothing in an archived group).</summary>
    private static async Task JoinAsync(CommunityFunnelDbContext db, Guid memberId, Guid groupId, DateTimeOffset now, CancellationToken ct)
    {
        var group = await db.Groups.Where(g => g.Id == groupId && !g.IsArchived).Select(g => g.Name).SingleOrDefaultAsync(ct);
        if (group is null || await db.GroupMemberships.AnyAsync(gm => gm.GroupId == groupId && gm.MemberId == memberId, ct))
        {
            return;
        }

        db.GroupMemberships.Add(new GroupMembership(groupId, memberId, now));
        db.Audit(now, AuditCategory.Access, Actor.System, "member.joined", group,
            "Joined through the group's link with a registered phone, confirmed by a code.");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear(); // joined by a parallel request a moment earlier
        }
    }
}
