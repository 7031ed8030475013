using Microsoft.AspNetCore.Identity;

namespace CommunityFunnel.Application.Access;

public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>When an admin disabled the account; a disabled account cannot sign in and its sessions and keys stop working.</summary>
    public DateTimeOffset? DisabledAt { get; private set; }

    public bool IsDisabled => DisabledAt is not null;

    public void Disable(DateTimeOffset at) => DisabledAt ??= at;

    public void Enable() => DisabledAt = null;
}
