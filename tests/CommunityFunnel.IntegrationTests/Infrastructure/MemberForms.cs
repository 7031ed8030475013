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

    public static string AntiforgeryToken(string page) => TokenField().Match(page).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
