using CommunityFunnel.Application.Access;

namespace CommunityFunnel.Web.Account;

/// <summary>Links to account pages that people open from a message (setup and reset links), on the public address.</summary>
internal static class AccountLinks
{
    public static string SetupPath(PasswordSetup setup) =>
        $"/account/setup?user={Uri.EscapeDataString(setup.UserId)}&token={Uri.EscapeDataString(setup.Token)}";
}
