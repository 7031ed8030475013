using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Access;

/// <summary>
/// What follows a person's change to their own account (password, two-factor): sessions signed in under the old
/// security stamp end at once on this instance, and the change is audited as theirs.
/// </summary>
public sealed class OwnAccountChanges(IDbContextFactory<CommunityFunnelDbContext> dbFactory, SessionRevocations revocations, TimeProvider clock)
{
    public async Task RecordAsync(ApplicationUser user, string? oldStamp, string action, CancellationToken ct)
    {
        revocations.Revoke(user.Id, oldStamp);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var email = user.Email ?? user.Id;
        db.Audit(clock.GetUtcNow(), AuditCategory.Access, new Actor(user.Id, email, IsAdmin: false), action, email, "");
        await db.SaveChangesAsync(ct);
    }
}
