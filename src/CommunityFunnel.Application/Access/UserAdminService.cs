using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Application.Access;

public sealed record UserRow(
    string Id, string Email, string DisplayName, string Role, IReadOnlyList<Guid> GroupIds, bool IsLockedOut, bool IsDisabled, bool TwoFactorEnabled);

/// <summary>Display name is optional (the email stands in); no password means the account gets a one-time setup link.</summary>
public sealed record UserInput(string? Email, string? DisplayName, string? Password, string Role);

/// <summary>A one-time link's secret part: Identity's password-reset token for this user, valid until <c>ExpiresAt</c>.</summary>
public sealed record PasswordSetup(string UserId, string Token, DateTimeOffset ExpiresAt);

public sealed record CreatedUser(string Id, string Email, string Role, PasswordSetup? Setup);

/// <summary>Keyset position of the users list (ordered by id).</summary>
public sealed record UserCursor(string Id);

/// <summary>
/// Admins create accounts, decide which groups each operator runs, disable, re-enable and change roles. Every change
/// lands in the audit log; a change that should end the user's sessions replaces their security stamp.
/// </summary>
public sealed class UserAdminService(
    IServiceScopeFactory scopes,
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    SessionRevocations revocations,
    ApiKeyService apiKeys,
    TimeProvider clock)
{
    /// <summary>How long a setup or reset link works (Identity's password-reset token lifespan).</summary>
    public static readonly TimeSpan SetupLinkLifetime = TimeSpan.FromHours(24);

    private const long AdminGuardLockKey = 0x43_46_61_64_6d; // "CFadm"

    public async Task<Result<IReadOnlyList<UserRow>>> ListAsync(Actor actor, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("user administration");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await RowsAsync(db, db.Users.OrderBy(u => u.Email), ct);
    }

    /// <summary>Users by id, a page at a time (see <see cref="Cursor"/>).</summary>
    public async Task<Result<CursorPage<UserRow>>> ListPageAsync(Actor actor, string? cursor, int? limit, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("user administration");
        }

        var position = Cursor.Decode<UserCursor>(cursor);
        var size = Cursor.Limit(limit);
        if ((position.Failure ?? size.Failure) is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = db.Users.AsQueryable();
        if (position.Value is { } after)
        {
            users = users.Where(u => u.Id.CompareTo(after.Id) > 0); // in SQL, under the same collation as the ORDER BY
        }

        var rows = await RowsAsync(db, users.OrderBy(u => u.Id).Take(size.Value + 1), ct);
        return Cursor.Page(rows, size.Value, r => new UserCursor(r.Id));
    }

    public async Task<Result<UserRow>> GetAsync(Actor actor, string userId, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("user administration");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await RowsAsync(db, db.Users.Where(u => u.Id == userId), ct);
        return rows.Count == 1 ? rows[0] : Failure.NotFound("The user");
    }

    public async Task<Result<CreatedUser>> CreateAsync(Actor actor, UserInput input, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("user administration");
        }

        var errors = new List<RuleViolation>();
        var email = (input.Email ?? "").Trim();
        if (!System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || email.Length > 256)
        {
            errors.Add(new RuleViolation("invalid_email", "Enter a valid email address.", "email"));
        }

        var displayName = email;
        if (!string.IsNullOrWhiteSpace(input.DisplayName))
        {
            var nameError = TextRules.CheckName(input.DisplayName, "displayName", 100, out displayName);
            if (nameError is not null)
            {
                errors.Add(nameError);
            }
        }

        if (!Roles.All.Contains(input.Role))
        {
            errors.Add(UnknownRole());
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return Failure.Conflict("duplicate_email", "An account with this email already exists.", "email");
        }

        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
        var withPassword = !string.IsNullOrEmpty(input.Password);
        var created = withPassword ? await users.CreateAsync(user, input.Password!) : await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return IdentityFailure(created, "password");
        }

        await users.AddToRoleAsync(user, input.Role);
        var setup = withPassword ? null : await NewSetupAsync(users, user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Audit(clock.GetUtcNow(), AuditCategory.Access, actor, "user.created", email,
            $"{input.Role} account created" + (withPassword ? "" : ", with a setup link"));
        await db.SaveChangesAsync(ct);
        return new CreatedUser(user.Id, email, input.Role, setup);
    }

    /// <summary>Replaces the set of groups an operator runs.</summary>
    public async Task<Result<bool>> SetGroupsAsync(Actor actor, string userId, IReadOnlyCollection<Guid> groupIds, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("user administration");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Failure.NotFound("The user");
        }

        var known = await db.Groups.Where(g => groupIds.Contains(g.Id)).Select(g => new { g.Id, g.Name }).ToListAsync(ct);
        if (known.Count != groupIds.Distinct().Count())
        {
            return Failure.Invalid("unknown_group", "One of the groups does not exist.", "groupIds");
        }

        var current = await db.GroupAssignments.Where(a => a.UserId == userId).ToListAsync(ct);
        var removed = current.Where(a => !groupIds.Contains(a.GroupId)).ToList();
        var added = known.Where(g => current.All(a => a.GroupId != g.Id)).ToList();
        db.GroupAssignments.RemoveRange(removed);
        db.GroupAssignments.AddRange(added.Select(g => new GroupAssignment(userId, g.Id)));
        var now = clock.GetUtcNow();
        foreach (var g in added)
        {
            db.Audit(now, AuditCategory.Access, actor, "group.assigned", user.Email ?? userId, $"may now run {g.Name}");
        }

        foreach (var a in removed)
        {
            var name = await db.Groups.Where(g => g.Id == a.GroupId).Select(g => g.Name).SingleAsync(ct);
            db.Audit(now, AuditCategory.Access, actor, "group.unassigned", user.Email ?? userId, $"no longer runs {name}");
        }

        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Disables an account: it cannot sign in, and its sessions, open pages and API keys stop working (at once on this
    /// instance, within <see cref="SessionRevocations.MaxCheckInterval"/> on the others).
    /// </summary>
    public Task<Result<bool>> DisableAsync(Actor actor, string userId, CancellationToken ct) =>
        ChangeAccountAsync(actor, userId, async change =>
        {
            var user = change.User;
            if (user.Id == actor.Id)
            {
                return Failure.Unprocessable("cannot_disable_self", "You cannot disable your own account.");
            }

            if (user.IsDisabled)
            {
                return false;
            }

            if (await change.IsLastEnabledAdminAsync())
            {
                return LastAdmin("disabled");
            }

            user.Disable(clock.GetUtcNow());
            await change.Users.UpdateSecurityStampAsync(user);
            change.Audit("user.disabled", "");
            return true;
        }, ct);

    public Task<Result<bool>> EnableAsync(Actor actor, string userId, CancellationToken ct) =>
        ChangeAccountAsync(actor, userId, async change =>
        {
            var user = change.User;
            if (!user.IsDisabled)
            {
                return false;
            }

            user.Enable();
            await change.Users.UpdateAsync(user);
            change.Audit("user.enabled", "");
            return false; // the stamp replaced on disable already ended the old sessions
        }, ct);

    /// <summary>Admin to operator or back; the user signs in again with the new role. Never leaves no enabled admin.</summary>
    public Task<Result<bool>> ChangeRoleAsync(Actor actor, string userId, string role, CancellationToken ct)
    {
        if (!Roles.All.Contains(role))
        {
            return Task.FromResult<Result<bool>>(Failure.Invalid([UnknownRole()]));
        }

        return ChangeAccountAsync(actor, userId, async change =>
        {
            var user = change.User;
            var current = (await change.Users.GetRolesAsync(user)).ToList();
            if (current.SequenceEqual([role]))
            {
                return false;
            }

            if (role != Roles.Admin && await change.IsLastEnabledAdminAsync())
            {
                return LastAdmin("made an operator");
            }

            await change.Users.RemoveFromRolesAsync(user, current);
            await change.Users.AddToRoleAsync(user, role);
            await change.Users.UpdateSecurityStampAsync(user);
            change.Audit("user.role-changed", $"{string.Join(", ", current)} -> {role}");
            return true;
        }, ct);
    }

    /// <summary>
    /// A one-time link with which the user chooses a new password (their current one works until then). Using it
    /// replaces the security stamp, which ends the user's other sessions and makes the link itself unusable again.
    /// </summary>
    public async Task<Result<PasswordSetup>> IssuePasswordSetupAsync(Actor actor, string userId, CancellationToken ct)
    {
        PasswordSetup? setup = null;
        var issued = await ChangeAccountAsync(actor, userId, async change =>
        {
            setup = await NewSetupAsync(change.Users, change.User);
            change.Audit("user.password-reset-link", $"valid until {setup.ExpiresAt:u}");
            return false; // the stamp changes when the link is used
        }, ct);
        return issued.Failure is { } failure ? failure : setup!;
    }

    public Task<Result<bool>> UnlockAsync(Actor actor, string userId, CancellationToken ct) =>
        ChangeAccountAsync(actor, userId, async change =>
        {
            await change.Users.SetLockoutEndDateAsync(change.User, null);
            await change.Users.ResetAccessFailedCountAsync(change.User);
            change.Audit("user.unlocked", "");
            return false;
        }, ct);

    /// <summary>Identity errors as violations: password rules on <paramref name="passwordField"/>, the rest on email.</summary>
    internal static Failure IdentityFailure(IdentityResult result, string passwordField) =>
        Failure.Invalid(result.Errors.Select(e => new RuleViolation(e.Code, e.Description,
            e.Code.StartsWith("Password", StringComparison.Ordinal) ? passwordField
            : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
            : null)).ToList());

    /// <summary>
    /// Runs one admin change to an account under a database-wide lock (two admins demoting each other at once must not
    /// leave none) in one transaction; when the change says it replaced the stamp, this instance refuses the old
    /// sessions now.
    /// </summary>
    private async Task<Result<bool>> ChangeAccountAsync(
        Actor actor, string userId, Func<AccountChange, Task<Result<bool>>> change, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("user administration");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommunityFunnelDbContext>(); // the context UserManager saves with
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdminGuardLockKey})", ct);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Failure.NotFound("The user");
        }

        var oldStamp = user.SecurityStamp;
        var outcome = await change(new AccountChange(db, users, actor, user, clock.GetUtcNow(), ct));
        if (outcome.Failure is { } failure)
        {
            return failure;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (outcome.Value)
        {
            revocations.Revoke(user.Id, oldStamp);
        }

        apiKeys.ForgetKnownKeys();
        return true;
    }

    private async Task<PasswordSetup> NewSetupAsync(UserManager<ApplicationUser> users, ApplicationUser user) =>
        new(user.Id, await users.GeneratePasswordResetTokenAsync(user), clock.GetUtcNow() + SetupLinkLifetime);

    private async Task<List<UserRow>> RowsAsync(CommunityFunnelDbContext db, IQueryable<ApplicationUser> users, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = await users.AsNoTracking()
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.DisplayName,
                u.LockoutEnd,
                u.DisabledAt,
                u.TwoFactorEnabled,
                Role = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name).FirstOrDefault(),
                Groups = db.GroupAssignments.Where(a => a.UserId == u.Id).Select(a => a.GroupId).ToList(),
            })
            .ToListAsync(ct);
        return rows.Select(u => new UserRow(u.Id, u.Email ?? "", u.DisplayName, u.Role ?? "", u.Groups, u.LockoutEnd > now, u.DisabledAt is not null, u.TwoFactorEnabled))
            .ToList();
    }

    private static RuleViolation UnknownRole() => new("unknown_role", "Role must be Admin or Operator.", "role");

    private static Failure LastAdmin(string what) =>
        Failure.Unprocessable("last_admin", $"This is the last enabled admin; it cannot be {what}. Make another admin first.");

    private sealed record AccountChange(
        CommunityFunnelDbContext Db, UserManager<ApplicationUser> Users, Actor Actor, ApplicationUser User, DateTimeOffset Now, CancellationToken Ct)
    {
        public void Audit(string action, string details) => Db.Audit(Now, AuditCategory.Access, Actor, action, User.Email ?? User.Id, details);

        public async Task<bool> IsLastEnabledAdminAsync() =>
            !User.IsDisabled
            && await Users.IsInRoleAsync(User, Roles.Admin)
            && await (from ur in Db.UserRoles
                      join r in Db.Roles on ur.RoleId equals r.Id
                      join u in Db.Users on ur.UserId equals u.Id
                      where r.Name == Roles.Admin && u.DisabledAt == null
                      select u.Id).CountAsync(Ct) <= 1;
    }
}
