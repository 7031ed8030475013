using CommunityFunnel.Application.Access;
using Microsoft.AspNetCore.Components.Authorization;

namespace CommunityFunnel.Web;

/// <summary>The signed-in person as an <see cref="Actor"/>, for components; read fresh on every call.</summary>
internal sealed class CurrentActor(AuthenticationStateProvider authentication)
{
    public async Task<Actor> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return Actor.From(state.User) ?? throw new UnauthorizedAccessException("No signed-in admin or operator.");
    }
}
