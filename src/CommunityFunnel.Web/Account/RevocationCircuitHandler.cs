using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace CommunityFunnel.Web.Account;

/// <summary>When a Blazor circuit opens, its authentication state starts listening for this instance's revocations.</summary>
internal sealed class RevocationCircuitHandler(AuthenticationStateProvider authentication) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        (authentication as RevalidatingAccountStateProvider)?.WatchRevocations();
        return Task.CompletedTask;
    }
}
