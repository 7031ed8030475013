using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.SignIn.Sms;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.IntegrationTests.SignIn;

/// <summary>Signing in over real HTTP: the page's forms, the loopback SMS providers, Telegram Login, and what reaches the logs.</summary>
public sealed partial class MemberSignInPageTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string BotToken = "123456:telegram-bot-token-for-tests";
    private readonly TestData _data = new(database);

    [Theory]
    [InlineData(SmsOptions.TwilioProvider, "13800138000")]
    [InlineData(SmsOptions.TencentProvider, "+8613800138000")]
    public async Task AMember_SignsInByCode_AndReturnsToTheSale_WithNoCodeOrPhoneInTheLogs(string provider, string phone)
    {
        var group = await _data.GroupAsync();
        await _data.MemberAsync(group, "Ada", phone: phone);
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app runs on the real clock
        var sale = await _data.FlashSaleAsync(group);
        var log = new LogCapture();
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, Database.Sms.Settings(provider),
            services => services.AddSingleton<Serilog.Core.ILogEventSink>(log));
        using var visitor = app.CookieClient();
        var signInPage = $"/me/sign-in?returnUrl={Uri.EscapeDataString($"/me/flash-sales/{sale}")}";

        var sent = await MemberForms.PostAsync(visitor, signInPage, "send-code", ["SendInput.Phone", phone]);
        Assert.Contains("data-testid=\"code-sent\"", await sent.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var code = Database.Sms.LastCodeTo("+8613800138000");
        Assert.Equal(provider, Database.Sms.Messages.Single().Provider);

        var wrong = await MemberForms.PostAsync(visitor, signInPage, "verify-code", ["VerifyInput.Phone", phone, "VerifyInput.Code", code == "000000" ? "111111" : "000000"]);
        Assert.Contains("data-testid=\"error-code\"", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var verified = await MemberForms.PostAsync(visitor, signInPage, "verify-code", ["VerifyInput.Phone", phone, "VerifyInput.Code", code]);

        Assert.Equal($"/me/flash-sales/{sale}", OnThisSite(app, verified));
        Assert.Contains("data-testid=\"sale-product\"", await visitor.GetStringAsync($"/me/flash-sales/{sale}", Ct), StringComparison.Ordinal);
        Assert.DoesNotContain(code, log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(phone.TrimStart('+'), log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(SmsServer.TwilioAuthToken, log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(SmsServer.TencentSecretKey, log.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("/admin/users")]
    public async Task SigningIn_NeverLeavesForAnotherSite(string returnUrl)
    {
        await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: "13800138000");
        using var visitor = Database.App.CookieClient();
        var page = $"/me/sign-in?returnUrl={Uri.EscapeDataString(returnUrl)}";
        await MemberForms.PostAsync(visitor, page, "send-code", ["SendInput.Phone", "+8613800138000"]); // no group behind the return address: no country to read it in

        var verified = await MemberForms.PostAsync(visitor, page, "verify-code", ["VerifyInput.Phone", "+8613800138000", "VerifyInput.Code", Database.Sms.LastCodeTo("+8613800138000")]);

        Assert.Equal("/me", OnThisSite(Database.App, verified));
    }

    [Fact]
    public async Task TelegramLogin_LinksAnAccountOnceThePhoneIsConfirmed_ThenSignsItIn_AndRefusesForgedOrStaleData()
    {
        var group = TestData.Succeeded(await Database.Get<GroupService>().CreateAsync(TestData.Admin,
            new GroupInput("Telegram tea", ChatPlatform.Telegram, "Asia/Shanghai", "CNY", null, null, null), Ct));
        var ada = await _data.MemberAsync(group, "Ada", phone: "13800138000");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var sale = await _data.FlashSaleAsync(group);
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?>(Database.Sms.Settings(SmsOptions.TwilioProvider))
        {
            ["TelegramLogin:BotUsername"] = "tea_shop_bot",
            ["TelegramLogin:BotToken"] = BotToken,
        });
        var back = Uri.EscapeDataString($"/me/flash-sales/{sale}");
        using var visitor = app.CookieClient();

        var signInPage = await visitor.GetAsync($"/me/sign-in?returnUrl={back}", Ct);
        Assert.Contains("data-telegram-login=\"tea_shop_bot\"", await signInPage.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("https://telegram.org", signInPage.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var forged = await visitor.GetAsync($"/me/sign-in/telegram?returnUrl={back}&{Signed(777, now)[..^4]}beef", Ct);
        Assert.Equal($"/me/sign-in?returnUrl={back}&telegramError=telegram_forged", forged.Headers.Location?.OriginalString);
        var stale = await visitor.GetAsync($"/me/sign-in/telegram?returnUrl={back}&{Signed(777, now - 2 * 86400)}", Ct);
        Assert.Equal($"/me/sign-in?returnUrl={back}&telegramError=telegram_stale", stale.Headers.Location?.OriginalString);
        Assert.Contains("data-testid=\"telegram-error\"", await visitor.GetStringAsync(stale.Headers.Location!.OriginalString, Ct), StringComparison.Ordinal);

        var unlinked = await visitor.GetAsync($"/me/sign-in/telegram?returnUrl={back}&{Signed(777, now)}", Ct);
        var confirmPage = unlinked.Headers.Location!.OriginalString;
        Assert.StartsWith($"/me/sign-in?returnUrl={back}&telegram=", confirmPage, StringComparison.Ordinal);
        Assert.DoesNotContain("member-name", await visitor.GetStringAsync("/me", Ct)); // not signed in yet
        var pending = Uri.UnescapeDataString(confirmPage[(confirmPage.IndexOf("&telegram=", StringComparison.Ordinal) + 10)..]);
        await MemberForms.PostAsync(visitor, confirmPage, "send-code", ["SendInput.Phone", "13800138000", "SendInput.Telegram", pending]);
        var verified = await MemberForms.PostAsync(visitor, confirmPage, "verify-code", ["VerifyInput.Phone", "13800138000", "VerifyInput.Code", Database.Sms.LastCodeTo("+8613800138000")]);
        Assert.Equal($"/me/flash-sales/{sale}", OnThisSite(app, verified));
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.Equal(777, (await db.Members.SingleAsync(m => m.Id == ada, Ct)).TelegramUserId);
        }

        using var otherDevice = app.CookieClient();
        var linked = await otherDevice.GetAsync($"/me/sign-in/telegram?returnUrl={back}&{Signed(777, now)}", Ct);
        Assert.Equal($"/me/flash-sales/{sale}", OnThisSite(app, linked));
        Assert.Contains("data-testid=\"member-name\">Ada<", await otherDevice.GetStringAsync("/me", Ct), StringComparison.Ordinal);
    }

    /// <summary>Login Widget data as Telegram signs it: HMAC-SHA256 of the sorted key=value lines, keyed by SHA-256 of the bot token.</summary>
    private static string Signed(long id, long authDate)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["auth_date"] = authDate.ToString(CultureInfo.InvariantCulture),
            ["first_name"] = "Ada",
            ["id"] = id.ToString(CultureInfo.InvariantCulture),
            ["username"] = "ada_tea",
        };
        var check = string.Join('\n', fields.Select(f => $"{f.Key}={f.Value}"));
        var hash = Convert.ToHexStringLower(HMACSHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(BotToken)), Encoding.UTF8.GetBytes(check)));
        return string.Join('&', fields.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}")) + "&hash=" + hash;
    }

    /// <summary>Where a redirect leads, after checking it stays on the app's own address.</summary>
    private static string OnThisSite(CommunityFunnelAppFactory app, HttpResponseMessage redirect)
    {
        var target = new Uri(app.BaseAddress, redirect.Headers.Location!);
        Assert.Equal(app.BaseAddress.Authority, target.Authority);
        return target.PathAndQuery;
    }
}
