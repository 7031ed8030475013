using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Application.Access;

/// <summary>What people do to their own account: change their password, or choose one through a setup link.</summary>
public sealed class AccountService(
    IServiceScopeFactory scopes,
    OwnAccountChanges ownChanges)
{
    /// <summary>Changes the password (the current one is required); the user's other sessions end.</summary>
    public async Task<Result<bool>> ChangePasswordAsync(string userId, string? currentPassword, string? newPassword, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Failure.NotFound("The account");
        }

        var oldStamp = user.SecurityStamp;
        var changed = await users.ChangePasswordAsync(user, currentPassword ?? "", newPassword ?? "");
        if (!changed.Succeeded)
        {
            return changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch))
                ? Failure.Invalid("wrong_password", "The current password is not right.", "currentPassword")
                : UserAdminService.IdentityFailure(changed, "newPassword");
        }

        await ownChanges.RecordAsync(user, oldStamp, "user.password-changed", ct);
        return true;
    }

    /// <summary>
    /// Sets the password through a one-time setup link. The link fails when forged, expired, or already used (using it
    /// replaces the security stamp the token was made with); the user's other sessions end.
    /// </summary>
    public async Task<Result<bool>> CompleteSetupAsync(string? userId, string? token, string? newPassword, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = string.IsNullOrEmpty(userId) ? null : await users.FindByIdAsync(userId);
        if (user is null || string.IsNullOrEmpty(token))
        {
            return InvalidLink();
        }

        var oldStamp = user.SecurityStamp;
        var reset = await users.ResetPasswordAsync(user, token, newPassword ?? "");
        if (!reset.Succeeded)
        {
            return reset.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? InvalidLink()
                : UserAdminService.IdentityFailure(reset, "newPassword");
        }

        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        await ownChanges.RecordAsync(user, oldStamp, "user.password-set", ct);
        return true;
    }

    private static Failure InvalidLink() =>
        Failure.Invalid("invalid_link", "This link is not valid: it has expired or was already used. Ask an admin for a new one.");
}
