using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Application.Access;

public sealed record UserRow(string Id, string Email, string DisplayName, string Role, IReadOnlyList<Guid> GroupIds, bool IsLockedOut);

public sealed record UserInput(string? Email, string? DisplayName, string? Password, string Role);

/// <summary>Admins create accounts and decide which groups each operator runs. Every change lands in the audit log.</summary>
public sealed class UserAdminService(IServiceScopeFactory scopes, IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<UserRow>>> ListAsync(Actor actor, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("user administration");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.DisplayName,
                u.LockoutEnd,
                Role = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name).FirstOrDefault(),
                Groups = db.GroupAssignments.Where(a => a.UserId == u.Id).Select(a => a.GroupId).ToList(),
            })
            .ToListAsync(ct);
        return users.Select(u => new UserRow(u.Id, u.Email ?? "", u.DisplayName, u.Role ?? "", u.Groups, u.LockoutEnd > now)).ToList();
    }

    public async Task<Result<string>> CreateAsync(Actor actor, UserInput input, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("user administration");
        }

        var errors = new List<RuleViolation>();
        var nameError = TextRules.CheckName(input.DisplayName, "displayName", 100, out var displayName);
        if (nameError is not null)
        {
            errors.Add(nameError);
        }

        var email = (input.Email ?? "").Trim();
        if (!System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || email.Length > 256)
        {
            errors.Add(new RuleViolation("invalid_email", "Enter a valid email address.", "email"));
        }

        if (!Roles.All.Contains(input.Role))
        {
            errors.Add(new RuleViolation("unknown_role", "Role must be Admin or Operator.", "role"));
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
        var created = await users.CreateAsync(user, input.Password ?? "");
        if (!created.Succeeded)
        {
            return Failure.Invalid(created.Errors.Select(e => new RuleViolation(e.Code, e.Description, FieldOf(e.Code))).ToList());
        }

        await users.AddToRoleAsync(user, input.Role);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Audit(clock.GetUtcNow(), AuditCategory.Access, actor, "user.created", email, $"{input.Role} account created");
        await db.SaveChangesAsync(ct);
        return user.Id;
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

    public async Task<Result<bool>> UnlockAsync(Actor actor, string userId, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("user administration");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Failure.NotFound("The user");
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Audit(clock.GetUtcNow(), AuditCategory.Access, actor, "user.unlocked", user.Email ?? userId, "");
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static string FieldOf(string identityErrorCode) =>
        identityErrorCode.StartsWith("Password", StringComparison.Ordinal) ? "password"
        : identityErrorCode.Contains("Email", StringComparison.Ordinal) || identityErrorCode.Contains("UserName", StringComparison.Ordinal) ? "email"
        : "";
}
