using System.Net;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.App;

public sealed class SecurityHeadersTests(PostgresFixture database) : DatabaseTest(database)
{
    [Theory]
    [InlineData("/login", HttpStatusCode.OK)] // a page
    [InlineData("/api/v1/groups", HttpStatusCode.OK)] // the API
    [InlineData("/app.css", HttpStatusCode.OK)] // a static file
    [InlineData("/api/v1/no-such-thing", HttpStatusCode.NotFound)] // an error
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path, HttpStatusCode expected)
    {
        using var client = Database.App.ApiClient();

        var response = await client.GetAsync(path, Ct);

        Assert.Equal(expected, response.StatusCode);
        var policy = Header(response, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Matches("script-src 'self' 'nonce-[A-Za-z0-9_-]+';", policy); // no 'unsafe-inline' for scripts
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task MemberPages_SendNoReferrer()
    {
        using var client = Database.App.CookieClient();

        var link = await client.GetAsync("/m/not-a-real-token", Ct);
        var home = await client.GetAsync("/me", Ct);

        Assert.Equal("no-referrer", Header(link, "Referrer-Policy"));
        Assert.Equal("no-referrer", Header(home, "Referrer-Policy"));
    }

    [Fact]
    public async Task ImportMap_CarriesThisResponsesNonce()
    {
        using var client = Database.App.CookieClient();

        var response = await client.GetAsync("/login", Ct);

        var nonce = System.Text.RegularExpressions.Regex.Match(Header(response, "Content-Security-Policy"), "'nonce-([^']+)'").Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiDocs_AllowItsOwnInlineScriptByHash_AndLoadNothingFromOutside()
    {
        using var client = Database.App.CookieClient();

        var response = await client.GetAsync("/api/docs/", Ct);

        var html = await response.Content.ReadAsStringAsync(Ct);
        var inline = System.Text.RegularExpressions.Regex.Match(html, "<script type=\"module\">(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(inline)));
        Assert.Contains($"'sha256-{hash}'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";
}
