namespace CommunityFunnel.Web.Portal;

/// <summary>
/// Where a member goes after signing in: a member page of this site ("/me…" or "/join/…"), never another site, so a
/// sign-in link cannot be turned into a redirect to somewhere else.
/// </summary>
internal static class ReturnUrls
{
    public const string Home = "/me";

    public static string MemberPage(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2000 || returnUrl.Any(c => char.IsControl(c) || c == '\\'))
        {
            return Home;
        }

        var path = returnUrl.Split('?', '#')[0];
        var isMemberPage = path == "/me" || path.StartsWith("/me/", StringComparison.Ordinal) || path.StartsWith("/join/", StringComparison.Ordinal);
        return isMemberPage && !path.Contains("//", StringComparison.Ordinal) ? returnUrl : Home;
    }

    public static string SignInPage(string returnUrl, string? extraQuery = null) =>
        $"/me/sign-in?returnUrl={Uri.EscapeDataString(returnUrl)}{(extraQuery is null ? "" : "&" + extraQuery)}";
}
