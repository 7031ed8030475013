using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Settings;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Groups;

public sealed class GroupServiceTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private GroupService Groups => Database.Get<GroupService>();

    [Fact]
    public async Task ListAsync_ShowsAnOperatorOnlyTheirGroups_WithCountsPerStage()
    {
        var mine = await _data.GroupAsync("Mine");
        await _data.GroupAsync("Theirs");
        var op = await _data.OperatorAsync("op@test.local", mine);
        var member = await _data.MemberAsync(mine);
        await _data.MemberAsync(mine, "Second");
        await _data.OrderAsync(member, mine, await _data.ProductAsync(FunnelStage.Mid, 399m), paid: true);

        var rows = await Groups.ListAsync(op, search: null, includeArchived: false, Ct);

        var row = Assert.Single(rows);
        Assert.Equal(("Mine", 2), (row.Name, row.MemberCount));
        Assert.Equal((1, 1), (row.StageCounts[FunnelStage.Free], row.StageCounts[FunnelStage.Mid]));
        Assert.Equal(2, (await Groups.ListAsync(TestData.Admin, null, false, Ct)).Count);
    }

    [Fact]
    public async Task CreateAsync_ByAnOperator_AssignsThemTheNewGroup_WhenAdminsAllowOperatorsToCreateGroups()
    {
        var op = await _data.OperatorAsync("op@test.local");
        TestData.Succeeded(await Database.Get<AppSettingsService>().SetOperatorsMayCreateGroupsAsync(TestData.Admin, allowed: true, Ct));

        var id = TestData.Succeeded(await Groups.CreateAsync(op, new GroupInput("Madrid café", ChatPlatform.Telegram, "Europe/Madrid", "EUR", 200, null, ["Sé amable"]), Ct));

        var details = TestData.Succeeded(await Groups.GetAsync(op, id, Ct));
        Assert.Equal(("Europe/Madrid", "EUR", 200, ChatPlatform.Telegram), (details.TimeZoneId, details.Currency, details.Capacity, details.Platform));
    }

    [Fact]
    public async Task CreateAsync_RefusesBadInput_AndWritesNothing()
    {
        var result = await Groups.CreateAsync(TestData.Admin, new GroupInput("", ChatPlatform.WeCom, "Asia/Beijing", "RMB", -1, null, null), Ct);

        Assert.Equal(["capacity", "currency", "name", "timeZone"], result.Failure!.Violations.Select(v => v.Field!).Order());
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(0, await db.Groups.CountAsync(Ct));
    }

    [Fact]
    public async Task UpdateAsync_IsForbidden_ForAnOperatorOfAnotherGroup_AndArchivedGroupsAreHidden()
    {
        var theirs = await _data.GroupAsync("Theirs");
        var op = await _data.OperatorAsync("op@test.local");
        var edit = new GroupInput("Hijacked", ChatPlatform.WeCom, "Asia/Shanghai", "CNY", null, null, null);

        Assert.Equal(FailureKind.Forbidden, (await Groups.UpdateAsync(op, theirs, edit, Ct)).Failure?.Kind);
        Assert.Equal(FailureKind.Forbidden, (await Groups.SetArchivedAsync(op, theirs, true, Ct)).Failure?.Kind);

        await Groups.SetArchivedAsync(TestData.Admin, theirs, true, Ct);
        Assert.Empty(await Groups.ListAsync(TestData.Admin, null, includeArchived: false, Ct));
        Assert.Equal("Theirs", Assert.Single(await Groups.ListAsync(TestData.Admin, "the", includeArchived: true, Ct)).Name);
    }
}
