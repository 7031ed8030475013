using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Members;

public sealed class MemberServiceTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private MemberService Members => Database.Get<MemberService>();

    [Fact]
    public async Task AddToGroupAsync_FindsTheSamePerson_ByPhoneInAnyFormat()
    {
        var tea = await _data.GroupAsync("Tea");
        var coffee = await _data.GroupAsync("Coffee");

        var first = await Members.AddToGroupAsync(TestData.Admin, tea, new MemberInput("Ada", "138 0013 8000"), Ct);
        var again = await Members.AddToGroupAsync(TestData.Admin, tea, new MemberInput("Ada L.", "13800138000"), Ct);
        var elsewhere = await Members.AddToGroupAsync(TestData.Admin, coffee, new MemberInput("Ada", "138-0013-8000"), Ct);

        Assert.True(first.Value!.Created);
        Assert.Equal((first.Value.Id, false), (again.Value!.Id, again.Value.Created));
        Assert.Equal(first.Value.Id, elsewhere.Value!.Id);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.Members.CountAsync(Ct));
        Assert.Equal(2, await db.GroupMemberships.CountAsync(Ct));
    }

    [Fact]
    public async Task AddToGroupAsync_CreatesOneMember_WhenTheSamePersonIsAddedConcurrently()
    {
        var group = await _data.GroupAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => Members.AddToGroupAsync(TestData.Admin, group, new MemberInput("Ada", "+8613800138000", "wx_ada"), Ct))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Failure?.Message));
        Assert.Single(results.Select(r => r.Value!.Id).Distinct());
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.Members.CountAsync(Ct));
        Assert.Equal(1, await db.GroupMemberships.CountAsync(Ct));
    }

    [Fact]
    public async Task AddToGroupAsync_ReportsEveryBadField_AndWritesNothing()
    {
        var group = await _data.GroupAsync();

        var result = await Members.AddToGroupAsync(TestData.Admin, group,
            new MemberInput(new string('x', 500), "not a phone", "has spaces", [new string('t', 41)], new string('n', 2001)), Ct);

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(["displayName", "externalId", "notes", "phone", "tags"], result.Failure.Violations.Select(v => v.Field!).Order());
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(0, await db.Members.CountAsync(Ct));
    }

    [Fact]
    public async Task AddToGroupAsync_KeepsEmojiAndRightToLeftNames()
    {
        var group = await _data.GroupAsync();

        var id = await _data.MemberAsync(group, "  ليلى 🌸 李雷  ");

        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal("ليلى 🌸 李雷", (await db.Members.SingleAsync(m => m.Id == id, Ct)).DisplayName);
    }

    [Fact]
    public async Task AddToGroupAsync_RefusesAPhoneAndPlatformIdOfTwoDifferentMembers()
    {
        var group = await _data.GroupAsync();
        await Members.AddToGroupAsync(TestData.Admin, group, new MemberInput("Ada", "13800138000"), Ct);
        await Members.AddToGroupAsync(TestData.Admin, group, new MemberInput("Bob", ExternalId: "wx_bob"), Ct);

        var result = await Members.AddToGroupAsync(TestData.Admin, group, new MemberInput("Mix", "13800138000", "wx_bob"), Ct);

        Assert.Equal("identity_conflict", result.Failure?.Code);
    }

    [Fact]
    public async Task Operator_CanOnlyAddTo_AndSee_TheirOwnGroups()
    {
        var mine = await _data.GroupAsync("Mine");
        var theirs = await _data.GroupAsync("Theirs");
        var stranger = await _data.MemberAsync(theirs, "Stranger");
        var op = await _data.OperatorAsync("op@test.local", mine);

        var add = await Members.AddToGroupAsync(op, theirs, new MemberInput("Sneaky"), Ct);
        var profile = await Database.Get<MemberDirectory>().GetProfileAsync(op, stranger, Ct);
        var move = await Members.MoveStageAsync(op, stranger, FunnelStage.High, "because", Ct);

        Assert.Equal(FailureKind.Forbidden, add.Failure?.Kind);
        Assert.Equal(FailureKind.Forbidden, profile.Failure?.Kind);
        Assert.Equal(FailureKind.Forbidden, move.Failure?.Kind);
        Assert.True((await Members.AddToGroupAsync(op, mine, new MemberInput("Welcome"), Ct)).Succeeded);
    }

    [Fact]
    public async Task MoveStageAsync_KeepsWhoAndWhy_AndRequiresAReason()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);

        var noReason = await Members.MoveStageAsync(TestData.Admin, member, FunnelStage.Sharing, "  ", Ct);
        var moved = await Members.MoveStageAsync(TestData.Admin, member, FunnelStage.Sharing, "Brought 5 friends", Ct);

        Assert.Equal("name_required", noReason.Failure?.Code);
        Assert.Equal(StageChangeOutcome.Moved, moved.Value);
        var profile = (await Database.Get<MemberDirectory>().GetProfileAsync(TestData.Admin, member, Ct)).Value!;
        var transition = Assert.Single(profile.Timeline);
        Assert.Equal(("Brought 5 friends", "Test Admin", FunnelStage.Sharing), (transition.Reason, transition.ChangedBy, transition.To));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "member.stage", Ct));
    }
}
