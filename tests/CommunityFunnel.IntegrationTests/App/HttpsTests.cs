using System.Net;
using System.Text.RegularExpressions;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.App;

/// <summary>Behind a TLS proxy (X-Forwarded-Proto: https from a known proxy) every cookie is Secure and HSTS is sent.</summary>
public sealed partial class HttpsTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task EveryCookie_IsSecure_AndHstsIsSent_WhenATrustedProxySaysHttps()
    {
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies"] = "127.0.0.1" });
        var cookies = await CookiesAsync(app, proto: "https");

        Assert.Equal([".AspNetCore.Antiforgery", ".AspNetCore.Culture", "cf.auth", "cf.member", "cf.member-lang"], cookies.Keys.Order(StringComparer.Ordinal));
        Assert.All(cookies, cookie => Assert.Contains("; secure", cookie.Value, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("max-age=31536000", Hsts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cookies_AreNotSecure_AndNoHsts_OverPlainHttp_OrWhenAnUnknownProxySaysHttps()
    {
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies"] = "10.0.0.1" });
        var cookies = await CookiesAsync(app, proto: "https"); // not from a known proxy: ignored

        Assert.Equal(5, cookies.Count);
        Assert.All(cookies, cookie => Assert.DoesNotContain("; secure", cookie.Value, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("", Hsts);
    }

    private string Hsts { get; set; } = "";

    /// <summary>Signs in, chooses a language and opens a member's personal link; returns each Set-Cookie by cookie name.</summary>
    private async Task<Dictionary<string, string>> CookiesAsync(CommunityFunnelAppFactory app, string proto)
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app runs on the real clock: the link must be fresh
        var token = await new TestData(Database).PersonalLinkAsync(member);
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var jar = new Dictionary<string, string>(); // by hand: HttpClient would not send Secure cookies over this plain socket
        var setCookies = new Dictionary<string, string>();

        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Host = "shop.example"; // HSTS is never sent for localhost
            request.Headers.Add("X-Forwarded-Proto", proto);
            if (jar.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
            }

            var response = await http.SendAsync(request, Ct);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var nameValue = header.Split(';')[0].Split('=', 2);
                jar[nameValue[0]] = nameValue[1];
                setCookies[AntiforgeryName().Replace(nameValue[0], ".AspNetCore.Antiforgery")] = header;
            }

            Hsts = response.Headers.TryGetValues("Strict-Transport-Security", out var hsts) ? string.Join(", ", hsts) : "";
            return response;
        }

        var form = await (await SendAsync(HttpMethod.Get, "/login")).Content.ReadAsStringAsync(Ct);
        var signedIn = await SendAsync(HttpMethod.Post, "/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = FormToken().Match(form).Groups[1].Value,
            ["_handler"] = "login",
            ["Input.Email"] = PostgresFixture.AdminEmail,
            ["Input.Password"] = PostgresFixture.AdminPassword,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        await SendAsync(HttpMethod.Get, "/account/culture?culture=zh-Hans&returnUrl=/");
        Assert.Equal(HttpStatusCode.Found, (await SendAsync(HttpMethod.Get, $"/m/{token}")).StatusCode);
        return setCookies;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex(@"^\.AspNetCore\.Antiforgery\..*$")]
    private static partial Regex AntiforgeryName();
}
