using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Groups;

/// <summary>A group admits at most its capacity, on every path that adds a member, also when many join at once.</summary>
public sealed class GroupCapacityTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private GroupService Groups => Database.Get<GroupService>();

    private MemberService Members => Database.Get<MemberService>();

    [Theory]
    [InlineData(-5)]
    [InlineData(0)]
    [InlineData(Group.MaxCapacity + 1)]
    public async Task CreateAndUpdate_RefuseAnImpossibleCapacity_AtTheField_AndSaveNothing(int capacity)
    {
        var group = await _data.GroupAsync("Tea", capacity: 50);

        var created = await Groups.CreateAsync(TestData.Admin, Input("Coffee", capacity), Ct);
        var updated = await Groups.UpdateAsync(TestData.Admin, group, Input("Tea", capacity), Ct);

        Assert.Equal(("invalid_capacity", "capacity"), (created.Failure?.Code, created.Failure?.Violations[0].Field));
        Assert.Equal(("invalid_capacity", "capacity"), (updated.Failure?.Code, updated.Failure?.Violations[0].Field));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(50, (await db.Groups.SingleAsync(Ct)).Capacity);
    }

    [Fact]
    public async Task CreateGroupApi_RefusesANegativeCapacity_WithAProblemAtTheField()
    {
        var response = await Database.App.ApiClient().PostAsJsonAsync("/api/v1/groups", new { name = "Tea", timeZone = "Asia/Shanghai", currency = "CNY", capacity = -5 }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("invalid_capacity", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("capacity", out _));
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.Groups.AnyAsync(Ct));
    }

    [Fact]
    public async Task HostContact_IsSaved_AndRefusedWhenTooLong()
    {
        var group = await _data.GroupAsync("Tea", hostContact: "  WeChat: tea_host_88  ");

        var tooLong = await Groups.UpdateAsync(TestData.Admin, group, Input("Tea", 500, new string('x', Group.HostContactMaxLength + 1)), Ct);

        Assert.Equal(("text_too_long", "hostContact"), (tooLong.Failure?.Code, tooLong.Failure?.Violations[0].Field));
        Assert.Equal("WeChat: tea_host_88", TestData.Succeeded(await Groups.GetAsync(TestData.Admin, group, Ct)).HostContact);
    }

    [Fact]
    public async Task AddToGroup_RefusesANewMemberPastCapacity_ButReaddingAMemberTakesNoPlace()
    {
        var group = await _data.GroupAsync(capacity: 2);
        await _data.MemberAsync(group, "Ada", "13800138001");
        await _data.MemberAsync(group, "Bo", "13800138002");

        var third = await Members.AddToGroupAsync(TestData.Admin, group, new MemberInput("Cy", "13800138003"), Ct);
        var again = await Members.AddToGroupAsync(TestData.Admin, group, new MemberInput("Ada", "13800138001"), Ct);

        Assert.Equal((FailureKind.Conflict, GroupCapacity.GroupFull), (third.Failure?.Kind, third.Failure?.Code));
        Assert.True(again.Succeeded, again.Failure?.Message);
        Assert.False(again.Value!.Created);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(2, await db.GroupMemberships.CountAsync(gm => gm.GroupId == group, Ct));
        Assert.False(await db.Members.AnyAsync(m => m.Phone == "13800138003" || m.Phone == "+8613800138003", Ct));
    }

    [Fact]
    public async Task AddMemberApi_AnswersGroupFull_WhenTheGroupIsFull()
    {
        var group = await _data.GroupAsync(capacity: 1);
        await _data.MemberAsync(group, "Ada");

        var response = await Database.App.ApiClient().PostAsJsonAsync($"/api/v1/groups/{group}/members", new { displayName = "Bo", phone = "13800138002" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("group_full", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task PublicJoin_IntoAFullGroup_IsRefused_AndThePageSaysSoWithTheHostsContact()
    {
        var group = await _data.GroupAsync("Skincare circle", "USD", "America/New_York", capacity: 1, hostContact: "WhatsApp +1 212 555 0100");
        await _data.MemberAsync(group, "Ada");
        var code = TestData.Succeeded(await Groups.GetAsync(TestData.Admin, group, Ct)).JoinCode;
        var portal = Database.Get<MemberPortal>();

        var join = await portal.JoinAsync(code, new JoinInput("Bo", "+1 212 736 0142", Consent: true, null), "198.51.100.9", Ct);
        using var browser = Database.App.CookieClient();
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/join/{code}", Ct));

        Assert.Equal(GroupCapacity.GroupFull, join.Failure?.Code);
        Assert.Contains("data-testid=\"group-full\"", page, StringComparison.Ordinal);
        Assert.Contains("This group is full.", page, StringComparison.Ordinal);
        Assert.Contains("WhatsApp +1 212 555 0100", page, StringComparison.Ordinal);
        Assert.DoesNotContain("join-submit", page, StringComparison.Ordinal);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.Members.CountAsync(Ct));
    }

    [Fact]
    public async Task PublicJoin_IntoAFullGroup_GivesAKnownPhoneTheSameAnswerAsAStranger()
    {
        var full = await _data.GroupAsync("Full", capacity: 1);
        var other = await _data.GroupAsync("Other");
        await _data.MemberAsync(full, "Ada");
        await _data.MemberAsync(other, "Bo", "13800138002");
        var code = TestData.Succeeded(await Groups.GetAsync(TestData.Admin, full, Ct)).JoinCode;
        var portal = Database.Get<MemberPortal>();

        var known = await portal.JoinAsync(code, new JoinInput("Bo", "13800138002", Consent: true, null), "198.51.100.9", Ct);
        var stranger = await portal.JoinAsync(code, new JoinInput("Cy", "13800138003", Consent: true, null), "198.51.100.9", Ct);

        Assert.Equal((GroupCapacity.GroupFull, GroupCapacity.GroupFull), (known.Failure?.Code, stranger.Failure?.Code));
    }

    [Fact]
    public async Task TwentyPeopleJoiningAtOnce_FillExactlyTheFivePlacesLeft()
    {
        var group = await _data.GroupAsync(capacity: 8);
        await _data.MembersAsync(group, 3);
        var code = TestData.Succeeded(await Groups.GetAsync(TestData.Admin, group, Ct)).JoinCode;
        var portal = Database.Get<MemberPortal>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Half through the public join form, half added by the operator, all released together.
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var phone = $"1390000{i:D4}";
            return i % 2 == 0
                ? (await portal.JoinAsync(code, new JoinInput($"Joiner {i}", phone, Consent: true, null), "198.51.100.9", Ct)).Failure
                : (await Members.AddToGroupAsync(TestData.Admin, group, new MemberInput($"Added {i}", phone), Ct)).Failure;
        }, Ct)).ToList();
        start.SetResult();
        var failures = await Task.WhenAll(attempts);

        Assert.Equal(5, failures.Count(f => f is null));
        Assert.All(failures.OfType<Failure>(), f => Assert.Equal(GroupCapacity.GroupFull, f.Code));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(8, await db.GroupMemberships.CountAsync(gm => gm.GroupId == group, Ct));
        Assert.Equal(8, await db.Members.CountAsync(Ct)); // nobody refused was created either
    }

    [Fact]
    public async Task CsvImport_PastCapacity_ReportsTheRowsThatDoNotFit_AndImportsOnlyWhatFitsWhenAsked()
    {
        var group = await _data.GroupAsync(capacity: 3);
        await _data.MemberAsync(group, "Ada", "13800138001");
        const string csv = "name,phone\nAda,13800138001\nBo,13800138002\nCy,13800138003\nDee,13800138004\nEd,13800138005\n";
        var importer = Database.Get<MemberCsvImporter>();

        var strict = TestData.Succeeded(await importer.ImportAsync(TestData.Admin, group, new MemoryStream(Encoding.UTF8.GetBytes(csv)), ImportMode.AllOrNothing, Ct));
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.Equal(1, await db.GroupMemberships.CountAsync(gm => gm.GroupId == group, Ct));
        }

        var lenient = TestData.Succeeded(await importer.ImportAsync(TestData.Admin, group, new MemoryStream(Encoding.UTF8.GetBytes(csv)), ImportMode.GoodRowsOnly, Ct));

        Assert.False(strict.Imported);
        Assert.Equal([(5, "capacity"), (6, "capacity")], strict.Errors.Select(e => (e.Line, e.Field)));
        Assert.Contains("full", strict.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal((true, 2, 2, 1), (lenient.Imported, lenient.Created, lenient.AddedToGroup, lenient.AlreadyInGroup));
        Assert.Equal([5, 6], lenient.Errors.Select(e => e.Line));
        await using var check = await Database.CreateDbContextAsync();
        Assert.Equal(3, await check.GroupMemberships.CountAsync(gm => gm.GroupId == group, Ct));
        Assert.Equal(3, await check.Members.CountAsync(Ct)); // Dee and Ed, who did not fit, were not created
    }

    private static GroupInput Input(string name, int capacity, string? hostContact = null) =>
        new(name, Domain.Groups.ChatPlatform.WeCom, "Asia/Shanghai", "CNY", capacity, null, null, HostContact: hostContact);
}
