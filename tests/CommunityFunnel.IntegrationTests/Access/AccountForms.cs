using System.Net;
using System.Text.RegularExpressions;

namespace CommunityFunnel.IntegrationTests.Access;

/// <summary>Posts the account pages' server-rendered forms as a browser would: the page first, then the form with its antiforgery token.</summary>
internal static partial class AccountForms
{
    public static async Task<(HttpResponseMessage Response, string Body)> PostAsync(HttpClient client, string path, string formName, IDictionary<string, string> fields)
    {
        var page = await client.GetAsync(path);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path}: {page.StatusCode}");
        var token = AntiforgeryToken().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token, ["_handler"] = formName };
        var response = await client.PostAsync(path, new FormUrlEncodedContent(form));
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The browser is not signed in (any more): a staff page sends it to the sign-in page.</summary>
    public static async Task AssertSignedOutAsync(HttpClient browser)
    {
        var response = await browser.GetAsync("/account/password");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    public static async Task AssertSignedInAsync(HttpClient browser) =>
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/password")).StatusCode);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
