using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Access;

/// <summary>Two-factor sign-in with an authenticator app, codes computed here as the app would (RFC 6238).</summary>
public sealed partial class TwoFactorTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string Operator = "op@test.local";
    private const string Password = "operator-password-1";
    private readonly TestData _data = new(database);

    [Fact]
    public async Task TwoFactor_OnceEnabled_SignInAsksForTheCode_AndARecoveryCodeWorksOnce()
    {
        await _data.OperatorAsync(Operator);
        var browser = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, Operator, Password);
        var (key, recoveryCodes) = await EnableTwoFactorAsync(browser);
        await AccountForms.AssertSignedInAsync(browser); // this session carries on with the new stamp

        var fresh = Database.App.CookieClient();
        var passwordStep = await CommunityFunnelAppFactory.SignInAsync(fresh, Operator, Password);
        Assert.Equal("/login/two-factor", passwordStep.Headers.Location?.AbsolutePath);
        await AccountForms.AssertSignedOutAsync(fresh); // the password alone signs nobody in
        var (_, wrong) = await VerifyAsync(fresh, "000000" == Totp(key) ? "111111" : "000000");
        Assert.Contains("That code is not right.", wrong, StringComparison.Ordinal);
        var (right, _) = await VerifyAsync(fresh, Totp(key));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        await AccountForms.AssertSignedInAsync(fresh);

        var withRecovery = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(withRecovery, Operator, Password);
        await VerifyAsync(withRecovery, recoveryCodes[0]);
        await AccountForms.AssertSignedInAsync(withRecovery);
        var reusing = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(reusing, Operator, Password);
        var (_, reused) = await VerifyAsync(reusing, recoveryCodes[0]);
        Assert.Contains("That code is not right.", reused, StringComparison.Ordinal);
        await AccountForms.AssertSignedOutAsync(reusing);

        await using var db = await Database.CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "user.two-factor-enabled" && e.Subject == Operator, Ct));
    }

    [Fact]
    public async Task EnableTwoFactor_RefusesAWrongCode()
    {
        await _data.OperatorAsync(Operator);
        var browser = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, Operator, Password);

        var (_, page) = await AccountForms.PostAsync(browser, "/account/two-factor", "enable-two-factor", new Dictionary<string, string> { ["Input.Code"] = "12345" });

        Assert.Contains("That code is not right", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"two-factor-enabled\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireAdminTwoFactor_SendsAnAdminWithout2faToTheSetup_AndLetsThemInOnceItIsOn()
    {
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Security:RequireAdminTwoFactor"] = "true" });
        await _data.OperatorAsync(Operator);
        var admin = app.CookieClient();
        var op = app.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(admin, PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await CommunityFunnelAppFactory.SignInAsync(op, Operator, Password);

        var blocked = await admin.GetAsync("/groups", Ct);
        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
        Assert.Equal("/account/two-factor?required=true", blocked.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/groups", Ct)).StatusCode); // operators are not asked

        await EnableTwoFactorAsync(admin);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/groups", Ct)).StatusCode);
    }

    private static async Task<(string Key, string[] RecoveryCodes)> EnableTwoFactorAsync(HttpClient browser)
    {
        var setup = await browser.GetStringAsync("/account/two-factor");
        var key = SharedKey().Match(setup).Groups[1].Value;
        Assert.Contains($"otpauth://totp/CommunityFunnel%3A", setup, StringComparison.Ordinal);
        Assert.Contains("<svg", setup, StringComparison.Ordinal);

        var (_, enabled) = await AccountForms.PostAsync(browser, "/account/two-factor", "enable-two-factor", new Dictionary<string, string> { ["Input.Code"] = Totp(key) });

        Assert.Contains("data-testid=\"two-factor-enabled\"", enabled, StringComparison.Ordinal);
        var codes = RecoveryCode().Matches(enabled).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(10, codes.Length);
        return (key, codes);
    }

    private static Task<(HttpResponseMessage Response, string Body)> VerifyAsync(HttpClient browser, string code) =>
        AccountForms.PostAsync(browser, "/login/two-factor", "login-two-factor", new Dictionary<string, string> { ["Input.Code"] = code });

    /// <summary>The 6-digit code an authenticator app shows now for a base32 key: HMAC-SHA1 over the 30-second step.</summary>
    private static string Totp(string base32Key)
    {
        var counter = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30);
#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1; this computes what they show
        var hash = HMACSHA1.HashData(Base32(base32Key), counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff) % 1_000_000;
        return binary.ToString("D6");
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }

    [GeneratedRegex("data-testid=\"shared-key\">([A-Z2-7]+)<")]
    private static partial Regex SharedKey();

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
