using System.Net;
using System.Text.RegularExpressions;

namespace CommunityFunnel.IntegrationTests.Infrastructure;

/// <summary>The member pages' server-rendered forms, posted as a phone's browser would: the page first, then the form with its token.</summary>
public static partial class MemberForms
{
    public static async Task<HttpResponseMessage> JoinAsync(HttpClient client, string joinCode, string name, string phone)
    {
        var form = await client.GetStringAsync($"/join/{joinCode}");
        return await client.PostAsync($"/join/{joinCode}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["_handler"] = "join",
            ["Input.Name"] = name,
            ["Input.Phone"] = phone,
            ["Input.Consent"] = "true",
        }));
    }

    /// <summary>Posts one of the page's forms as a browser does, with the antiforgery token the page rendered.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string form, params string[] fields)
    {
        var html = await client.GetStringAsync(page);
        var values = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(html),
            ["_handler"] = form,
        };
        for (var i = 0; i < fields.Length; i += 2)
        {
            values[fields[i]] = fields[i + 1];
        }

        var response = await client.PostAsync(page, new FormUrlEncodedContent(values));
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"{form}: {response.StatusCode}");
        return response;
    }

    public static string AntiforgeryToken(string page) => TokenField().Match(page).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
