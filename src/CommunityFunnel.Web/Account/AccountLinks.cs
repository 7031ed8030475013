using CommunityFunnel.Application.Access;

namespace CommunityFunnel.Web.Account;

/// <summary>
/// Absolute links to account pages that people open from a message (setup and reset links). For now the address is
/// the one the current request came in on; this is the one place to switch to a configured public address.
/// </summary>
internal static class AccountLinks
{
    public static string SetupUrl(Uri currentBase, PasswordSetup setup) =>
        new Uri(currentBase, $"account/setup?user={Uri.EscapeDataString(setup.UserId)}&token={Uri.EscapeDataString(setup.Token)}").ToString();

    public static Uri BaseOf(HttpRequest request) => new($"{request.Scheme}://{request.Host}{request.PathBase}/");
}
