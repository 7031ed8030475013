using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Groups;

/// <summary>The group's join link for operators: in the API, renewed on demand (the old one refused), and drawn as a QR code.</summary>
public sealed class JoinLinkTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    [Fact]
    public async Task GetGroup_IncludesTheAbsoluteJoinUrl()
    {
        var group = await _data.GroupAsync();

        var body = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{group}", Ct);

        Assert.Equal(ExpectedJoinUrl(await JoinCodeAsync(group)), body.GetProperty("joinUrl").GetString());
        Assert.Equal(await JoinCodeAsync(group), body.GetProperty("joinCode").GetString()); // what was there stays
    }

    [Fact]
    public async Task RenewJoinLink_ReturnsTheNewUrl_RetiresTheOldCode_AndIsAudited()
    {
        var group = await _data.GroupAsync("Tea lovers");
        var oldCode = await JoinCodeAsync(group);

        var response = await Api.PostAsync($"/api/v1/groups/{group}/join-link", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var newCode = await JoinCodeAsync(group);
        Assert.NotEqual(oldCode, newCode);
        Assert.Equal(ExpectedJoinUrl(newCode), (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("joinUrl").GetString());

        var portal = Database.Get<MemberPortal>();
        var refused = await portal.JoinAsync(oldCode, new JoinInput("Ada", "13800138000", Consent: true, null), "198.51.100.9", Ct);
        var joined = await portal.JoinAsync(newCode, new JoinInput("Ada", "13800138000", Consent: true, null), "198.51.100.9", Ct);
        Assert.Equal("not_found", refused.Failure?.Code);
        Assert.True(joined.Succeeded, joined.Failure?.Message);

        using var browser = Database.App.CookieClient();
        var oldPage = await browser.GetStringAsync($"/join/{oldCode}", Ct);
        var newPage = await browser.GetStringAsync($"/join/{newCode}", Ct);
        Assert.Contains("data-testid=\"join-link-retired\"", oldPage, StringComparison.Ordinal);
        Assert.Contains("此入群链接已失效", oldPage, StringComparison.Ordinal); // in the group's language, as its live link speaks
        Assert.Contains("Tea lovers 已更换入群链接。请向群主索取最新链接。", oldPage, StringComparison.Ordinal);
        Assert.DoesNotContain("join-submit", oldPage, StringComparison.Ordinal);
        Assert.Contains("join-submit", newPage, StringComparison.Ordinal);

        await using var db = await Database.CreateDbContextAsync();
        var audit = await db.AuditEntries.SingleAsync(e => e.Action == "group.join_link_renewed", Ct);
        Assert.Equal("Tea lovers", audit.Subject);
    }

    [Fact]
    public async Task RenewJoinLink_TwiceAtOnce_RetiresEachCodeOnce_AndLeavesOneCurrent()
    {
        var group = await _data.GroupAsync();
        var first = await JoinCodeAsync(group);
        var groups = Database.Get<GroupService>();

        var renewals = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => groups.RenewJoinLinkAsync(TestData.Admin, group, Ct)));

        Assert.All(renewals, r => Assert.True(r.Succeeded, r.Failure?.Message));
        await using var db = await Database.CreateDbContextAsync();
        var retired = await db.RetiredJoinCodes.Where(c => c.GroupId == group).Select(c => c.Code).ToListAsync(Ct);
        var current = await JoinCodeAsync(group);
        var handedOut = renewals.Select(r => r.Value!).ToList();
        Assert.Equal(4, handedOut.Distinct().Count());
        Assert.Contains(current, handedOut);
        Assert.Equal(handedOut.Where(c => c != current).Append(first).Order(), retired.Order()); // each code retired once, by the renewal after it
    }

    [Fact]
    public async Task JoinQr_EncodesExactlyTheCurrentJoinUrl_AsPngAndSvg()
    {
        var group = await _data.GroupAsync();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/api/v1/groups/{group}/join-link", null, Ct)).StatusCode);
        var joinUrl = ExpectedJoinUrl(await JoinCodeAsync(group));

        var png = await Api.GetAsync($"/api/v1/groups/{group}/join-qr?format=png", Ct);
        var svg = await Api.GetAsync($"/api/v1/groups/{group}/join-qr?format=svg", Ct);
        var byDefault = await Api.GetAsync($"/api/v1/groups/{group}/join-qr", Ct);

        Assert.Equal(("image/png", "image/svg+xml", "image/png"),
            (png.Content.Headers.ContentType?.MediaType, svg.Content.Headers.ContentType?.MediaType, byDefault.Content.Headers.ContentType?.MediaType));
        Assert.Equal(joinUrl, QrImages.Decode(await png.Content.ReadAsByteArrayAsync(Ct)));
        var svgRoot = XDocument.Parse(await svg.Content.ReadAsStringAsync(Ct)).Root!;
        Assert.Equal("svg", svgRoot.Name.LocalName);
        Assert.NotNull(svgRoot.Attribute("viewBox"));
    }

    [Fact]
    public async Task JoinQrDownload_FromTheGroupPage_IsAnAttachmentOfTheSameCode()
    {
        var group = await _data.GroupAsync();
        using var browser = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);

        var png = await browser.GetAsync($"/groups/{group}/join-qr?format=png", Ct);

        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("attachment", png.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(ExpectedJoinUrl(await JoinCodeAsync(group)), QrImages.Decode(await png.Content.ReadAsByteArrayAsync(Ct)));
    }

    [Theory]
    [InlineData("gif")]
    [InlineData("")]
    [InlineData("png;svg")]
    public async Task JoinQr_RefusesAnUnknownFormat_WithAStableCode(string format)
    {
        var group = await _data.GroupAsync();

        var response = await Api.GetAsync($"/api/v1/groups/{group}/join-qr?format={Uri.EscapeDataString(format)}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("invalid_format", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("format", out _));
    }

    [Fact]
    public async Task JoinLinkEndpoints_RefuseAnotherGroupsOperator_AndChangeNothing()
    {
        var theirs = await _data.GroupAsync("Theirs");
        var mine = await _data.GroupAsync("Mine");
        var op = await _data.OperatorAsync("op@test.local", mine);
        var key = TestData.Succeeded(await Database.Get<ApiKeyService>().CreateForUserAsync(TestData.Admin, op.Id, "Zapier", Ct));
        using var api = Database.App.ApiClient(key.Secret);
        var code = await JoinCodeAsync(theirs);

        var details = await api.GetAsync($"/api/v1/groups/{theirs}", Ct);
        var renew = await api.PostAsync($"/api/v1/groups/{theirs}/join-link", null, Ct);
        var qr = await api.GetAsync($"/api/v1/groups/{theirs}/join-qr?format=svg", Ct);
        var own = await api.PostAsync($"/api/v1/groups/{mine}/join-link", null, Ct);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK),
            (details.StatusCode, renew.StatusCode, qr.StatusCode, own.StatusCode));
        Assert.Equal(code, await JoinCodeAsync(theirs));
        Assert.DoesNotContain(code, await qr.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.RetiredJoinCodes.AnyAsync(c => c.GroupId == theirs, Ct));
    }

    private string ExpectedJoinUrl(string code) => new Uri(Database.App.BaseAddress, $"/join/{code}").ToString();

    private async Task<string> JoinCodeAsync(Guid group)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Groups.Where(g => g.Id == group).Select(g => g.JoinCode).SingleAsync(Ct);
    }
}
