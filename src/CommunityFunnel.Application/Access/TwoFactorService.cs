using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Application.Access;

/// <summary>What an authenticator app needs: the shared key (also as an otpauth:// URI for a QR code).</summary>
public sealed record AuthenticatorSetup(bool Enabled, string SharedKey, string AuthenticatorUri, int RecoveryCodesLeft);

/// <summary>
/// Optional two-factor sign-in with an authenticator app (TOTP, Identity's authenticator token provider), with
/// one-time recovery codes. Turning it on or off replaces the security stamp, so sessions signed in before end.
/// </summary>
public sealed class TwoFactorService(
    IServiceScopeFactory scopes,
    OwnAccountChanges ownChanges)
{
    public const string Issuer = "CommunityFunnel";
    public const int RecoveryCodeCount = 10;

    /// <summary>The user's authenticator key, made on first use.</summary>
    public async Task<Result<AuthenticatorSetup>> GetSetupAsync(string userId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Failure.NotFound("The account");
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // Through the store, not ResetAuthenticatorKeyAsync: a first key protects nothing yet, so replacing the
            // stamp (and signing the person out of this very page) would buy nothing.
            var store = (IUserAuthenticatorKeyStore<ApplicationUser>)scope.ServiceProvider.GetRequiredService<IUserStore<ApplicationUser>>();
            await store.SetAuthenticatorKeyAsync(user, users.GenerateNewAuthenticatorKey(), ct);
            await store.UpdateAsync(user, ct);
            key = await users.GetAuthenticatorKeyAsync(user);
        }

        var label = Uri.EscapeDataString($"{Issuer}:{user.Email}");
        var uri = $"otpauth://totp/{label}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";
        return new AuthenticatorSetup(user.TwoFactorEnabled, key!, uri, await users.CountRecoveryCodesAsync(user));
    }

    /// <summary>Turns two-factor sign-in on once a code from the app checks out; returns the recovery codes (shown once).</summary>
    public async Task<Result<IReadOnlyList<string>>> EnableAsync(string userId, string? code, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Failure.NotFound("The account");
        }

        var cleanCode = (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, cleanCode))
        {
            return Failure.Invalid("wrong_code", "That code is not right: check the app's clock and type the code it shows now.", "code");
        }

        var oldStamp = user.SecurityStamp;
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        await ownChanges.RecordAsync(user, oldStamp, "user.two-factor-enabled", ct);
        return codes;
    }

    /// <summary>Turns two-factor sign-in off and forgets the key, so turning it on again needs a new app entry.</summary>
    public async Task<Result<bool>> DisableAsync(string userId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Failure.NotFound("The account");
        }

        var oldStamp = user.SecurityStamp;
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await ownChanges.RecordAsync(user, oldStamp, "user.two-factor-disabled", ct);
        return true;
    }
}
