using CommunityFunnel.Application.Access;
using Microsoft.AspNetCore.Components.Authorization;

namespace CommunityFunnel.Web;

/// <summary>The signed-in person as an <see cref="Actor"/>, for components; read fresh on every call.</summary>
internal sealed class CurrentActor(AuthenticationStateProvider authentication)
{
    public async Task<Actor> GetAsync() =>
        await FindAsync() ?? throw new UnauthorizedAccessException("No signed-in admin or operator.");

    /// <summary>The signed-in staff member, or null on a page anyone may see (the not-found page shares the menu).</summary>
    public async Task<Actor?> FindAsync() => Actor.From((await authentication.GetAuthenticationStateAsync()).User);
}
