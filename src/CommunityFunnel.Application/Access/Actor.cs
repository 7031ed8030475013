using System.Security.Claims;

namespace CommunityFunnel.Application.Access;

/// <summary>Who is acting: a signed-in person or an API key, with its role. Services decide access from this alone.</summary>
public sealed record Actor(string Id, string Name, bool IsAdmin)
{
    public static Actor System { get; } = new("system", "system", IsAdmin: true);

    /// <summary>Reads the actor from an authenticated principal (cookie or API key); null when anonymous.</summary>
    public static Actor? From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(id))
        {
            return null;
        }

        var isAdmin = principal.IsInRole(Roles.Admin);
        if (!isAdmin && !principal.IsInRole(Roles.Operator))
        {
            return null;
        }

        return new Actor(id, principal.Identity.Name ?? id, isAdmin);
    }
}
