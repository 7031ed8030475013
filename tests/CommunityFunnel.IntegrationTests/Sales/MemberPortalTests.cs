using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Application.SignIn;
using CommunityFunnel.Application.SignIn.Sms;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.IntegrationTests.Sales;

/// <summary>The member side's trust boundary over real HTTP: personal links, sessions, joining, other groups.</summary>
public sealed partial class MemberPortalTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task APersonalLink_OpensOneSession_ThenSaysItWasUsed_AndTamperedOrExpiredLinksSayWhy()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group, "Ada");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app checks the expiry on the real clock
        var token = await _data.PersonalLinkAsync(member);

        using var client = Database.App.CookieClient();
        var opened = await client.GetAsync($"/m/{token}", Ct);
        Assert.Equal(("/me", HttpStatusCode.Redirect), (opened.Headers.Location?.OriginalString, opened.StatusCode));
        Assert.Contains("data-testid=\"member-name\">Ada<", await client.GetStringAsync("/me", Ct));

        using var second = Database.App.CookieClient();
        Assert.Equal("/me/link-problem?reason=used", (await second.GetAsync($"/m/{token}", Ct)).Headers.Location?.OriginalString);
        Assert.DoesNotContain("member-name", await second.GetStringAsync("/me", Ct));

        var tampered = await second.GetAsync($"/m/{token[..^4]}AAAA", Ct);
        Assert.Equal("/me/link-problem?reason=invalid", tampered.Headers.Location?.OriginalString);
        Assert.Equal("/me/link-problem?reason=invalid", (await second.GetAsync($"/m/{new string('x', 500)}", Ct)).Headers.Location?.OriginalString);

        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow - MemberLinks.Lifetime - TimeSpan.FromMinutes(1));
        var old = await _data.PersonalLinkAsync(member);
        Assert.Equal("/me/link-problem?reason=expired", (await second.GetAsync($"/m/{old}", Ct)).Headers.Location?.OriginalString);
        Assert.Contains("data-testid=\"link-problem\"", await second.GetStringAsync("/me/link-problem?reason=used", Ct));
    }

    [Fact]
    public async Task APersonalLink_OpenedManyTimesAtOnce_OpensExactlyOneSession()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group, "Ada");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var token = await _data.PersonalLinkAsync(member);

        var clients = Enumerable.Range(0, 12).Select(_ => Database.App.CookieClient()).ToList();
        var answers = await Task.WhenAll(clients.Select(c => c.GetAsync($"/m/{token}", Ct)));

        Assert.Equal(1, answers.Count(a => a.Headers.Location?.OriginalString == "/me"));
        Assert.Equal(11, answers.Count(a => a.Headers.Location?.OriginalString == "/me/link-problem?reason=used"));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task RevokingSessions_EndsOpenSessionsAtOnce_AndWithdrawsUnopenedLinks()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group, "Ada");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        using var phone = Database.App.CookieClient();
        await phone.GetAsync($"/m/{await _data.PersonalLinkAsync(member)}", Ct);
        Assert.Contains("member-name", await phone.GetStringAsync("/me", Ct));
        var unopened = await _data.PersonalLinkAsync(member);

        var revoked = await Database.App.ApiClient().PostAsync($"/api/v1/members/{member}/revoke-sessions", null, Ct);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(1, (await revoked.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("linksWithdrawn").GetInt32());
        Assert.DoesNotContain("member-name", await phone.GetStringAsync("/me", Ct));
        using var other = Database.App.CookieClient();
        Assert.Equal("/me/link-problem?reason=revoked", (await other.GetAsync($"/m/{unopened}", Ct)).Headers.Location?.OriginalString);
        using var fresh = Database.App.CookieClient(); // a link made after the revocation works
        Assert.Equal("/me", (await fresh.GetAsync($"/m/{await _data.PersonalLinkAsync(member)}", Ct)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SigningOut_NeedsThePagesForm_SoAnotherSiteCannotEndAMembersSession()
    {
        var member = await _data.MemberAsync(await _data.GroupAsync(), "Ada");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        using var phone = Database.App.CookieClient();
        await phone.GetAsync($"/m/{await _data.PersonalLinkAsync(member)}", Ct);
        var home = await phone.GetStringAsync("/me", Ct);

        var forged = await phone.PostAsync("/me/sign-out", new FormUrlEncodedContent([]), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("member-name", await phone.GetStringAsync("/me", Ct));

        var token = MemberForms.AntiforgeryToken(home);
        var signedOut = await phone.PostAsync("/me/sign-out", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]), Ct);

        Assert.Equal("/me", signedOut.Headers.Location?.OriginalString);
        Assert.DoesNotContain("member-name", await phone.GetStringAsync("/me", Ct));
    }

    [Fact]
    public async Task AnOperatorsLink_OpensTheMembersPagesForThatOperatorsGroupsOnly()
    {
        var mine = await _data.GroupAsync("Mine");
        var theirs = await _data.GroupAsync("Theirs secret club");
        var member = await _data.MemberAsync(theirs, "Ada", phone: "13800138000");
        await _data.MemberAsync(mine, "Ada", phone: "13800138000"); // the operator links the same person into their group
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var theirSale = await _data.FlashSaleAsync(theirs);
        await _data.OrderAsync(member, theirs, await _data.ProductAsync(Domain.Members.FunnelStage.Mid, 888m), paid: true);
        var op = await _data.OperatorAsync("op@test.local", mine);

        var token = await _data.PersonalLinkAsync(member, op);
        using var phone = Database.App.CookieClient();
        await phone.GetAsync($"/m/{token}", Ct);
        var home = await phone.GetStringAsync("/me", Ct);
        var sale = await phone.GetStringAsync($"/me/flash-sales/{theirSale}", Ct);

        Assert.Contains("Mine", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Theirs secret club", home, StringComparison.Ordinal);
        Assert.DoesNotContain("888", home, StringComparison.Ordinal);
        Assert.DoesNotContain("flash-sale-link", home, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"buy\"", sale, StringComparison.Ordinal);
        var scope = new MemberScope(member, [mine]);
        Assert.Equal("not_found", (await Database.Get<MemberPortal>().ClaimAsync(scope, theirSale, 1, null, Ct)).Failure!.Code);
        Assert.Null(await Database.Get<MemberPortal>().FlashSaleAsync(scope, theirSale, Ct));
    }

    [Fact]
    public async Task TheLinksApi_MakesASingleGroupLink_AndRefusesBadRequestsSpecifically()
    {
        var mine = await _data.GroupAsync("Mine");
        var theirs = await _data.GroupAsync("Theirs");
        var member = await _data.MemberAsync(mine, "Ada");
        var stranger = await _data.MemberAsync(theirs, "Bob");
        var op = await _data.OperatorAsync("op@test.local", mine);
        var key = TestData.Succeeded(await Database.Get<ApiKeyService>().CreateAsync(TestData.Admin, "crm", Roles.Operator, op.Id, Ct));
        var api = Database.App.ApiClient(key.Secret);
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);

        var created = await api.PostAsJsonAsync($"/api/v1/members/{member}/links", new { groupId = mine }, Ct);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(6));
        using var phone = Database.App.CookieClient();
        Assert.Equal("/me", (await phone.GetAsync(body.GetProperty("url").GetString(), Ct)).Headers.Location?.OriginalString);

        async Task<(HttpStatusCode, string?)> RefusalAsync(Guid memberId, object request)
        {
            var response = await api.PostAsJsonAsync($"/api/v1/members/{memberId}/links", request, Ct);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        }

        Assert.Equal((HttpStatusCode.BadRequest, "group_required"), await RefusalAsync(member, new { }));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), await RefusalAsync(stranger, new { groupId = theirs }));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), await RefusalAsync(Guid.NewGuid(), new { groupId = mine }));
        TestData.Succeeded(await Database.Get<MemberService>().AddToGroupAsync(TestData.Admin, theirs, new MemberInput("Ada", ExternalId: "x"), Ct));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), await RefusalAsync(member, new { groupId = theirs }));
        var admin = Database.App.ApiClient();
        var notIn = await admin.PostAsJsonAsync($"/api/v1/members/{member}/links", new { groupId = theirs }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notIn.StatusCode);
    }

    [Fact]
    public async Task PersonalLinkTokens_NeverReachTheLogs()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group, "Ada");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var log = new LogCapture();
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString, services: s => s.AddSingleton<Serilog.Core.ILogEventSink>(log));
        var token = await _data.PersonalLinkAsync(member);
        using var phone = app.CookieClient();

        await phone.GetAsync($"/m/{token}", Ct);
        await phone.GetAsync($"/m/{token}", Ct);
        await phone.GetAsync("/m/forged-token-that-is-not-real", Ct);

        Assert.Contains("/m/***", log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("forged-token-that-is-not-real", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATamperedSessionCookie_IsNoSession()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group, "Ada");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var token = await _data.PersonalLinkAsync(member);
        using var client = Database.App.CookieClient();
        var opened = await client.GetAsync($"/m/{token}", Ct);
        var session = opened.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cf.member=", StringComparison.Ordinal));
        var value = session["cf.member=".Length..session.IndexOf(';', StringComparison.Ordinal)];

        using var forged = new HttpClient { BaseAddress = Database.App.BaseAddress };
        forged.DefaultRequestHeaders.Add("Cookie", $"cf.member={value[..^6]}AAAAAA");
        Assert.DoesNotContain("member-name", await forged.GetStringAsync("/me", Ct));
    }

    [Fact]
    public async Task Joining_WithARegisteredPhone_SendsACode_AndJoinsOnlyOnceItIsEntered()
    {
        var home = await _data.GroupAsync("Home");
        var target = await _data.GroupAsync("Target");
        var ada = await _data.MemberAsync(home, "Ada", phone: "13800138000");
        var joinCode = TestData.Succeeded(await Database.Get<GroupService>().GetAsync(TestData.Admin, target, Ct)).JoinCode;
        var portal = Database.Get<MemberPortal>();

        var pending = TestData.Succeeded(await portal.JoinAsync(joinCode, new JoinInput("Mallory", "138 0013 8000", true, null), "198.51.100.7", Ct));

        Assert.Equal((null, "+8613800138000"), (pending.MemberId, pending.CodeSent?.Phone)); // E.164, read in the group's country
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.False(await db.GroupMemberships.AnyAsync(gm => gm.GroupId == target, Ct)); // nothing changes before the code
            Assert.Equal("Ada", (await db.Members.SingleAsync(m => m.Id == ada, Ct)).DisplayName);
            var audit = await db.AuditEntries.SingleAsync(a => a.Action == "member.join_code_sent", Ct);
            Assert.Contains("8000", audit.Details, StringComparison.Ordinal);
            Assert.DoesNotContain("13800138000", audit.Details, StringComparison.Ordinal); // nor the E.164 form, which contains it
        }

        var signIn = Database.Get<MemberSignIn>();
        var code = Database.Sms.LastCodeTo("+8613800138000");
        Assert.Equal("wrong_code", (await signIn.VerifyAsync("13800138000", "CN", code == "000000" ? "111111" : "000000", "198.51.100.7", Ct)).Failure!.Code);
        var session = TestData.Succeeded(await signIn.VerifyAsync("13800138000", "CN", code, "198.51.100.7", Ct));

        Assert.Equal(MemberScope.AllGroupsOf(ada), session);
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.True(await db.GroupMemberships.AnyAsync(gm => gm.GroupId == target && gm.MemberId == ada, Ct));
            Assert.Single(await db.AuditEntries.Where(a => a.Action == "member.joined").ToListAsync(Ct));
        }

        Assert.Equal("not_found", (await portal.JoinAsync("no-such-code", new JoinInput("Eve", "13900000000", true, null), "198.51.100.7", Ct)).Failure!.Code);
        var joined = TestData.Succeeded(await portal.JoinAsync(joinCode, new JoinInput("Eve", "13900000000", true, null), "198.51.100.7", Ct));
        Assert.NotNull(joined.MemberId);
    }

    [Fact]
    public async Task AMember_CannotOpenOrClaimAnotherGroupsSale()
    {
        var group = await _data.GroupAsync();
        var other = await _data.GroupAsync("Other");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var otherSale = await _data.FlashSaleAsync(other);
        var member = MemberScope.AllGroupsOf(await _data.MemberAsync(group, "Bob"));
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

    [Fact]
    public async Task TheJoinForm_ContinuesWithACodeForARegisteredPhone_AndIsRateLimitedPerAddress()
    {
        var group = await _data.GroupAsync();
        await _data.MemberAsync(group, "Ada", phone: "13800138000");
        var joinCode = TestData.Succeeded(await Database.Get<GroupService>().GetAsync(TestData.Admin, group, Ct)).JoinCode;
        await using var app = new CommunityFunnelAppFactory(Database.ConnectionString,
            new Dictionary<string, string?>(Database.Sms.Settings(SmsOptions.TwilioProvider)) { ["RateLimits:JoinsPerMinute"] = "2" });
        using var visitor = app.CookieClient();

        var known = await MemberForms.JoinAsync(visitor, joinCode, "Mallory", "13800138000");
        var newcomer = await MemberForms.JoinAsync(visitor, joinCode, "Eve", "13900000001");
        var third = await MemberForms.JoinAsync(visitor, joinCode, "Trudy", "13900000002");

        var page = await known.Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-testid=\"code-sent\"", page, StringComparison.Ordinal);
        Assert.Contains("这个手机号已经注册", page, StringComparison.Ordinal); // the group speaks Chinese
        Assert.DoesNotContain("error-phone", page, StringComparison.Ordinal);
        Assert.Equal("+8613800138000", Database.Sms.Messages.Single().To);
        Assert.Equal("/me?joined=1", newcomer.Headers.Location?.PathAndQuery);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter is not null);
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.Members.AnyAsync(m => m.DisplayName == "Trudy", Ct));
    }

    [GeneratedRegex("<html lang=\"es\">")]
    private static partial Regex HtmlLang();
}
