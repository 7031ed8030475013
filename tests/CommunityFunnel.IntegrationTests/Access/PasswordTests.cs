using CommunityFunnel.Application.Access;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static CommunityFunnel.IntegrationTests.Infrastructure.TestData;

namespace CommunityFunnel.IntegrationTests.Access;

/// <summary>Changing your own password, and an admin's one-time reset link, through the real forms.</summary>
public sealed class PasswordTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string OperatorPassword = "operator-password-1";
    private readonly TestData _data = new(database);

    [Fact]
    public async Task ChangePassword_NeedsTheCurrentOne_KeepsThisSession_AndEndsTheOthers()
    {
        await _data.OperatorAsync("op@test.local");
        var browser = Database.App.CookieClient();
        var otherBrowser = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, "op@test.local", OperatorPassword);
        await CommunityFunnelAppFactory.SignInAsync(otherBrowser, "op@test.local", OperatorPassword);

        var (_, wrong) = await ChangeAsync(browser, "not-my-password", "brand-new-password-1");
        var (_, tooShort) = await ChangeAsync(browser, OperatorPassword, "short");
        Assert.Contains("The current password is not right.", wrong, StringComparison.Ordinal);
        Assert.Contains("at least 12 characters", tooShort, StringComparison.Ordinal);
        await AccountForms.AssertSignedInAsync(otherBrowser);

        var (_, changed) = await ChangeAsync(browser, OperatorPassword, "brand-new-password-1");

        Assert.Contains("data-testid=\"password-changed\"", changed, StringComparison.Ordinal);
        await AccountForms.AssertSignedInAsync(browser);
        await AccountForms.AssertSignedOutAsync(otherBrowser);
        var withOld = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(withOld, "op@test.local", OperatorPassword);
        await AccountForms.AssertSignedOutAsync(withOld);
        await CommunityFunnelAppFactory.SignInAsync(withOld, "op@test.local", "brand-new-password-1");
        await AccountForms.AssertSignedInAsync(withOld);
    }

    [Fact]
    public async Task ResetLink_SetsANewPassword_Once_AndEndsTheUsersSessions()
    {
        var op = await _data.OperatorAsync("op@test.local");
        var session = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(session, "op@test.local", OperatorPassword);
        var setup = Succeeded(await Database.Get<UserAdminService>().IssuePasswordSetupAsync(Admin, op.Id, Ct));
        Assert.Equal(Database.Clock.GetUtcNow() + TimeSpan.FromHours(24), setup.ExpiresAt);
        var path = $"/account/setup?user={Uri.EscapeDataString(setup.UserId)}&token={Uri.EscapeDataString(setup.Token)}";

        var (_, mismatch) = await SetAsync(path, "reset-password-123", "something-else-12");
        Assert.Contains("The two passwords differ.", mismatch, StringComparison.Ordinal);
        var (_, done) = await SetAsync(path, "reset-password-123", "reset-password-123");
        var (_, reused) = await SetAsync(path, "another-password-1", "another-password-1");
        var (_, forged) = await SetAsync($"/account/setup?user={op.Id}&token=forged", "another-password-1", "another-password-1");

        Assert.Contains("data-testid=\"password-set\"", done, StringComparison.Ordinal);
        Assert.Contains("already used", reused, StringComparison.Ordinal);
        Assert.Contains("already used", forged, StringComparison.Ordinal);
        await AccountForms.AssertSignedOutAsync(session); // the link was used on this instance: at once
        var fresh = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(fresh, "op@test.local", "reset-password-123");
        await AccountForms.AssertSignedInAsync(fresh);
        await using var db = await Database.CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "user.password-reset-link" && e.Subject == "op@test.local", Ct));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "user.password-set" && e.Subject == "op@test.local", Ct));
    }

    [Fact]
    public void SetupLinks_ExpireAfter24Hours()
    {
        var options = Database.App.Services.GetRequiredService<IOptions<DataProtectionTokenProviderOptions>>().Value;

        Assert.Equal(TimeSpan.FromHours(24), options.TokenLifespan);
    }

    private static Task<(HttpResponseMessage Response, string Body)> ChangeAsync(HttpClient browser, string current, string next) =>
        AccountForms.PostAsync(browser, "/account/password", "change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = next,
        });

    private Task<(HttpResponseMessage Response, string Body)> SetAsync(string path, string password, string confirm) =>
        AccountForms.PostAsync(Database.App.CookieClient(), path, "setup-password", new Dictionary<string, string>
        {
            ["Input.NewPassword"] = password,
            ["Input.ConfirmPassword"] = confirm,
        });
}
