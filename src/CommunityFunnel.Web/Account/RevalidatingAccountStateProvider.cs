using System.Security.Claims;
using CommunityFunnel.Application.Access;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Web.Account;

/// <summary>
/// Open Blazor circuits re-check their user: every <see cref="SecurityOptions.SessionCheckInterval"/> against the
/// database (disabled, or security stamp replaced: the page signs out), and at once when this instance revoked them.
/// Only live circuits listen for revocations (see <see cref="RevocationCircuitHandler"/>); a server-rendered request is
/// checked through its cookie, and must not sign itself out while it changes its own password.
/// </summary>
internal sealed class RevalidatingAccountStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly Task<AuthenticationState> SignedOut = Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));

    private readonly IServiceScopeFactory _scopes;
    private readonly SessionRevocations _revocations;
    private readonly IdentityOptions _identity;
    private ClaimsPrincipal _user = new();

    public RevalidatingAccountStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopes,
        SessionRevocations revocations,
        IOptions<IdentityOptions> identity,
        IOptions<SecurityOptions> security)
        : base(loggerFactory)
    {
        _scopes = scopes;
        _revocations = revocations;
        _identity = identity.Value;
        RevalidationInterval = security.Value.EffectiveSessionCheckInterval;
        AuthenticationStateChanged += RememberUser;
    }

    protected override TimeSpan RevalidationInterval { get; }

    public void WatchRevocations()
    {
        _revocations.Revoked -= OnRevoked;
        _revocations.Revoked += OnRevoked;
    }

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        if (IsRevokedHere(principal))
        {
            return false;
        }

        await using var scope = _scopes.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>();
        return await signIn.ValidateSecurityStampAsync(principal) is not null;
    }

    protected override void Dispose(bool disposing)
    {
        _revocations.Revoked -= OnRevoked;
        AuthenticationStateChanged -= RememberUser;
        base.Dispose(disposing);
    }

    // The framework sets each state as a completed task (sign-in at circuit start, or our sign-out).
    private void RememberUser(Task<AuthenticationState> state) =>
        _user = state.IsCompletedSuccessfully ? state.Result.User : new ClaimsPrincipal();

    private void OnRevoked(string userId)
    {
        if (_user.FindFirstValue(_identity.ClaimsIdentity.UserIdClaimType) == userId && IsRevokedHere(_user))
        {
            SetAuthenticationState(SignedOut);
        }
    }

    private bool IsRevokedHere(ClaimsPrincipal principal) =>
        _revocations.IsRevoked(
            principal.FindFirstValue(_identity.ClaimsIdentity.UserIdClaimType),
            principal.FindFirstValue(_identity.ClaimsIdentity.SecurityStampClaimType));
}
