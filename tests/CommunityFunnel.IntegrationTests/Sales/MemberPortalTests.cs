using System.Net;
using System.Text.RegularExpressions;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Sales;

/// <summary>The member side's trust boundary over real HTTP: personal links, sessions, joining, other groups.</summary>
public sealed partial class MemberPortalTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task APersonalLink_SignsTheMemberIn_ButAnExpiredOrTamperedOneDoesNot()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group, "Ada");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app checks the expiry on the real clock
        var links = Database.Get<MemberLinks>();
        var token = TestData.Succeeded(await links.CreateAsync(TestData.Admin, member, Ct));

        using var client = Database.App.CookieClient();
        var opened = await client.GetAsync($"/m/{token}", Ct);
        Assert.Equal(("/me", HttpStatusCode.Redirect), (opened.Headers.Location?.OriginalString, opened.StatusCode));
        Assert.Contains("data-testid=\"member-name\">Ada<", await client.GetStringAsync("/me", Ct));

        using var tamperer = Database.App.CookieClient();
        var tampered = await tamperer.GetAsync($"/m/{token[..^4]}AAAA", Ct);
        Assert.Equal("/me/link-problem?reason=invalid", tampered.Headers.Location?.OriginalString);
        Assert.DoesNotContain("member-name", await tamperer.GetStringAsync("/me", Ct));

        Database.Clock.Advance(MemberLinks.Lifetime + TimeSpan.FromMinutes(1)); // the fixture's services share the app's keys
        Assert.Equal((null, MagicLinkProblem.Expired), links.Redeem(token));
    }

    [Fact]
    public async Task ATamperedSessionCookie_IsNoSession()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group, "Ada");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var token = TestData.Succeeded(await Database.Get<MemberLinks>().CreateAsync(TestData.Admin, member, Ct));
        using var client = Database.App.CookieClient();
        var opened = await client.GetAsync($"/m/{token}", Ct);
        var session = opened.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cf.member=", StringComparison.Ordinal));
        var value = session["cf.member=".Length..session.IndexOf(';', StringComparison.Ordinal)];

        using var forged = new HttpClient { BaseAddress = Database.App.BaseAddress };
        forged.DefaultRequestHeaders.Add("Cookie", $"cf.member={value[..^6]}AAAAAA");
        Assert.DoesNotContain("member-name", await forged.GetStringAsync("/me", Ct));
    }

    [Fact]
    public async Task Joining_WithAKnownPhone_SignsNobodyIn_AndAMemberCannotOpenAnotherGroupsSale()
    {
        var group = await _data.GroupAsync();
        await _data.MemberAsync(group, "Ada", phone: "13800138000");
        var joinCode = TestData.Succeeded(await Database.Get<GroupService>().GetAsync(TestData.Admin, group, Ct)).JoinCode;

        var known = await Database.Get<MemberPortal>().JoinAsync(joinCode, new JoinInput("Mallory", "13800138000", true, null), Ct);
        Assert.Equal("known_phone", known.Failure!.Code);
        Assert.Equal("not_found", (await Database.Get<MemberPortal>().JoinAsync("no-such-code", new JoinInput("Eve", "13900000000", true, null), Ct)).Failure!.Code);

        var other = await _data.GroupAsync("Other");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var otherSale = await _data.FlashSaleAsync(other);
        var member = await _data.MemberAsync(group, "Bob");
        Assert.Null(await Database.Get<MemberPortal>().FlashSaleAsync(member, otherSale, Ct));
        Assert.Equal("not_in_group", (await Database.Get<MemberPortal>().ClaimAsync(member, otherSale, 1, null, Ct)).Failure!.Code);
    }

    [Fact]
    public async Task TheJoinPage_ShowsTheGroupInItsOwnLanguage()
    {
        var group = await _data.GroupAsync("Madrid Café", "EUR", "Europe/Madrid");
        var joinCode = TestData.Succeeded(await Database.Get<GroupService>().GetAsync(TestData.Admin, group, Ct)).JoinCode;
        using var client = Database.App.CookieClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var page = await client.GetStringAsync($"/join/{joinCode}", Ct);

        Assert.Matches(HtmlLang(), page);
        Assert.Contains("Madrid Café", page, StringComparison.Ordinal);
    }

    [GeneratedRegex("<html lang=\"es\">")]
    private static partial Regex HtmlLang();
}
