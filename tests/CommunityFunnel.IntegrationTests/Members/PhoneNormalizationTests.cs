using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Members;

/// <summary>
/// "0151 9876 5432" typed in a German group is stored as +4915198765432 on every path that takes a phone, matches the
/// member stored so, and a phone that cannot be one there is refused at the field with nothing saved.
/// </summary>
public sealed partial class PhoneNormalizationTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string Typed = "0151 9876 5432";
    private const string E164 = "+4915198765432";
    private readonly TestData _data = new(database);

    private MemberService Members => Database.Get<MemberService>();

    private Task<Guid> BerlinGroupAsync(string name = "Berlin Kaffee") => _data.GroupAsync(name, "EUR", "Europe/Berlin");

    [Fact]
    public async Task TheOperatorService_StoresE164_AndLinksTheSamePersonTypedAnotherWay()
    {
        var berlin = await BerlinGroupAsync();
        var hamburg = await BerlinGroupAsync("Hamburg Kaffee");
        var shanghai = await _data.GroupAsync();

        var added = TestData.Succeeded(await Members.AddToGroupAsync(TestData.Admin, berlin, new MemberInput("Jana", Typed), Ct));
        var linked = TestData.Succeeded(await Members.AddToGroupAsync(TestData.Admin, hamburg, new MemberInput("Jana B.", "015198765432"), Ct));
        var abroad = TestData.Succeeded(await Members.AddToGroupAsync(TestData.Admin, shanghai, new MemberInput("Jana", "+49 151 98765432"), Ct));

        Assert.True(added.Created);
        Assert.Equal((added.Id, false), (linked.Id, linked.Created));
        Assert.Equal((added.Id, false), (abroad.Id, abroad.Created));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(E164, (await db.Members.SingleAsync(Ct)).Phone);
        Assert.Equal(3, await db.GroupMemberships.CountAsync(Ct));
    }

    [Fact]
    public async Task TheOperatorService_RefusesAPhoneThatCannotBeOneInTheGroupsCountry_AndSavesNothing()
    {
        var berlin = await BerlinGroupAsync();

        var tooShort = await Members.AddToGroupAsync(TestData.Admin, berlin, new MemberInput("Jana", "0151 98"), Ct);
        var chinese = await Members.AddToGroupAsync(TestData.Admin, berlin, new MemberInput("Li", "13800138000"), Ct);

        foreach (var refused in new[] { tooShort, chinese })
        {
            var violation = Assert.Single(refused.Failure!.Violations);
            Assert.Equal((FailureKind.Invalid, PhoneNormalizer.Invalid, "phone"), (refused.Failure.Kind, violation.Code, violation.Field));
            Assert.Contains("Germany (DE, +49)", violation.Message, StringComparison.Ordinal);
        }

        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.Members.AnyAsync(Ct));
    }

    [Fact]
    public async Task AnAdminsContactEdit_StoresE164_InTheMembersFirstGroupsCountry()
    {
        var berlin = await BerlinGroupAsync();
        var shanghai = await _data.GroupAsync();
        var jana = TestData.Succeeded(await Members.AddToGroupAsync(TestData.Admin, berlin, new MemberInput("Jana", ExternalId: "wx_jana"), Ct)).Id;
        Database.Clock.Advance(TimeSpan.FromDays(1));
        TestData.Succeeded(await Members.AddToGroupAsync(TestData.Admin, shanghai, new MemberInput("Jana", ExternalId: "wx_jana"), Ct));

        var invalid = await Members.UpdateContactAsync(TestData.Admin, jana, new MemberContact("Jana", "13800138000"), Ct);
        TestData.Succeeded(await Members.UpdateContactAsync(TestData.Admin, jana, new MemberContact("Jana", Typed), Ct));

        Assert.Equal(PhoneNormalizer.Invalid, invalid.Failure!.Code); // read as German: her first group is Berlin
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(E164, (await db.Members.SingleAsync(Ct)).Phone);
    }

    [Fact]
    public async Task AnOperator_RenamesAMember_SendingThePhoneInAnyFormat()
    {
        var berlin = await BerlinGroupAsync();
        var jana = await _data.MemberAsync(berlin, "Jana", Typed);
        var op = await _data.OperatorAsync("op@test.local", berlin);

        TestData.Succeeded(await Members.UpdateContactAsync(op, jana, new MemberContact("Jana Berger", Typed), Ct));
        var changed = await Members.UpdateContactAsync(op, jana, new MemberContact("Jana Berger", "0151 1111 2222"), Ct);

        Assert.Equal(MemberService.IdentityAdminOnly, changed.Failure!.Code); // the same number is no change; another one is
        await using var db = await Database.CreateDbContextAsync();
        var member = await db.Members.SingleAsync(Ct);
        Assert.Equal(("Jana Berger", E164), (member.DisplayName, member.Phone));
    }

    [Fact]
    public async Task TheApi_StoresE164_AndAnswersPhoneInvalid_NamingTheCountry()
    {
        var berlin = await BerlinGroupAsync();
        using var api = Database.App.ApiClient();

        var created = await api.PostAsJsonAsync($"/api/v1/groups/{berlin}/members", new { displayName = "Jana", phone = Typed }, Ct);
        var again = await api.PostAsJsonAsync($"/api/v1/groups/{berlin}/members", new { displayName = "Jana", phone = "+49 151 98765432" }, Ct);
        var refused = await api.PostAsJsonAsync($"/api/v1/groups/{berlin}/members", new { displayName = "Tom", phone = "0151 98" }, Ct);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.BadRequest), (created.StatusCode, again.StatusCode, refused.StatusCode));
        var memberId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var profile = await api.GetFromJsonAsync<JsonElement>($"/api/v1/members/{memberId}", Ct);
        Assert.Equal(E164, profile.GetProperty("phone").GetString());
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(PhoneNormalizer.Invalid, problem.GetProperty("code").GetString());
        Assert.Contains("Germany", problem.GetProperty("errors").GetProperty("phone")[0].GetString(), StringComparison.Ordinal);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.Members.CountAsync(Ct));
    }

    [Fact]
    public async Task TheJoinForm_StoresE164_AndRefusesAPhoneOfNoCountryWithTheGroupsCountryAtTheField()
    {
        var berlin = await BerlinGroupAsync();
        var joinCode = TestData.Succeeded(await Database.Get<GroupService>().GetAsync(TestData.Admin, berlin, Ct)).JoinCode;
        using var visitor = Database.App.CookieClient();

        var form = await visitor.GetStringAsync($"/join/{joinCode}", Ct);
        var refused = await MemberForms.JoinAsync(visitor, joinCode, "Tom", "0151 98");
        using var newcomer = Database.App.CookieClient();
        var joined = await MemberForms.JoinAsync(newcomer, joinCode, "Jana", Typed);

        Assert.Contains("placeholder=\"01512 3456789\"", form, StringComparison.Ordinal); // how Germans write a mobile
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct));
        Assert.Matches(PhoneError(), page);
        Assert.Contains("This is not a valid phone number in Deutschland (+49).", page, StringComparison.Ordinal);
        Assert.Equal("/me?joined=1", joined.Headers.Location?.PathAndQuery);
        await using var db = await Database.CreateDbContextAsync();
        var member = await db.Members.SingleAsync(Ct);
        Assert.Equal(("Jana", E164), (member.DisplayName, member.Phone));
    }

    [Fact]
    public async Task TheCsvImport_StoresE164_SeesOnePersonTypedTwoWays_AndNamesTheCountryForABadRow()
    {
        var berlin = await BerlinGroupAsync();
        var known = await _data.MemberAsync(await _data.GroupAsync(), "Jana", "+49 151 98765432");
        var importer = Database.Get<MemberCsvImporter>();
        var csv = $"name,phone\nJana,{Typed}\nJana again,015198765432\nTom,0151 98\nMax,0170 1234567\n";

        var strict = TestData.Succeeded(await importer.ImportAsync(TestData.Admin, berlin, new MemoryStream(Encoding.UTF8.GetBytes(csv)), ImportMode.AllOrNothing, Ct));
        var lenient = TestData.Succeeded(await importer.ImportAsync(TestData.Admin, berlin, new MemoryStream(Encoding.UTF8.GetBytes(csv)), ImportMode.GoodRowsOnly, Ct));

        Assert.False(strict.Imported);
        Assert.Equal([(3, "phone"), (4, "phone")], strict.Errors.Select(e => (e.Line, e.Field)));
        Assert.Equal("Same phone as line 2.", strict.Errors[0].Message);
        Assert.Contains("Germany (DE, +49)", strict.Errors[1].Message, StringComparison.Ordinal);
        Assert.Equal((true, 1, 2), (lenient.Imported, lenient.Created, lenient.AddedToGroup)); // Max is new; Jana was known
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal([E164, "+491701234567"], await db.Members.OrderBy(m => m.Phone).Select(m => m.Phone!).ToListAsync(Ct));
        Assert.True(await db.GroupMemberships.AnyAsync(gm => gm.GroupId == berlin && gm.MemberId == known, Ct));
    }

    [Fact]
    public async Task TheMemberGrid_FindsAPhoneTypedAsPeopleThereWriteIt()
    {
        var berlin = await BerlinGroupAsync();
        await _data.MemberAsync(berlin, "Jana", Typed);
        await _data.MemberAsync(berlin, "Max", "0170 1234567");

        var found = TestData.Succeeded(await Database.Get<MemberDirectory>().ListAsync(TestData.Admin, berlin, new MemberQuery("0151 9876"), Ct));

        Assert.Equal("Jana", Assert.Single(found.Items).DisplayName);
    }

    [Fact]
    public async Task AGroupOfNoCountry_TakesOnlyInternationalNumbers()
    {
        var utc = await _data.GroupAsync("Nomads", "USD", "UTC");

        var national = await Members.AddToGroupAsync(TestData.Admin, utc, new MemberInput("Jana", Typed), Ct);
        var international = await Members.AddToGroupAsync(TestData.Admin, utc, new MemberInput("Jana", "+49 151 98765432"), Ct);

        Assert.Null(TestData.Succeeded(await Database.Get<GroupService>().GetAsync(TestData.Admin, utc, Ct)).Country);
        Assert.Equal(PhoneNormalizer.Invalid, national.Failure!.Code);
        Assert.True(international.Succeeded);
    }

    [GeneratedRegex("data-testid=\"error-phone\"[^>]*>This is not a valid phone number in Deutschland")]
    private static partial Regex PhoneError();
}
