using Microsoft.AspNetCore.Identity;

namespace CommunityFunnel.Application.Access;

public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}
