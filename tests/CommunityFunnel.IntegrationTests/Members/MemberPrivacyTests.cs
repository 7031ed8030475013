using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Members;

/// <summary>
/// One person, two groups run by different operators: each operator sees the person (and their one stage) but nothing
/// of what they do in the other group, through the service and through the API.
/// </summary>
public sealed class MemberPrivacyTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string Phone = "13800138000";
    private const string TheirReason = "VIP of the other club";
    private const string TheirNote = "Complained about delivery twice";
    private readonly TestData _data = new(database);

    [Fact]
    public async Task AnOperator_LearnsNothingAboutTheMembersLifeInGroupsTheyDoNotRun()
    {
        var (mine, member, op) = await SharedMemberAsync();

        var profile = TestData.Succeeded(await Database.Get<MemberDirectory>().GetProfileAsync(op, member, Ct));

        Assert.Equal(FunnelStage.High, profile.Stage); // one person, one stage merchant-wide
        Assert.Equal([mine], profile.Groups.Select(g => g.GroupId));
        Assert.Equal([9.9m], profile.Orders.Select(o => o.UnitPrice));
        Assert.Equal((9.9m, 1, FunnelStage.Low), (profile.Profile.TotalPaid, profile.Profile.PaidOrderCount, profile.Profile.HighestTierPaid));
        Assert.Equal((0, null, null), (profile.ReferredCount, profile.ReferrerId, profile.ReferrerName));
        Assert.DoesNotContain(profile.Timeline, t => t.Reason == TheirReason || t.Reason == "Paid for a High product");
        Assert.Contains(profile.Timeline, t => t.Reason == "Back to High"); // an admin's decision is merchant-wide

        var admin = TestData.Succeeded(await Database.Get<MemberDirectory>().GetProfileAsync(TestData.Admin, member, Ct));
        Assert.Equal((2, 2, 1), (admin.Groups.Count, admin.Orders.Count, admin.ReferredCount));
        Assert.Contains(admin.Timeline, t => t.Reason == TheirReason);
    }

    [Fact]
    public async Task TheMemberApi_ShowsAnOperatorOnlyTheirOwnGroupsPartOfTheMember()
    {
        var (_, member, op) = await SharedMemberAsync();
        var key = TestData.Succeeded(await Database.Get<ApiKeyService>().CreateAsync(TestData.Admin, "crm", Roles.Operator, op.Id, Ct));

        var body = await Database.App.ApiClient(key.Secret).GetFromJsonAsync<JsonElement>($"/api/v1/members/{member}", Ct);
        var text = body.GetRawText();

        Assert.Equal(1, body.GetProperty("groups").GetArrayLength());
        Assert.DoesNotContain("Other club", text, StringComparison.Ordinal);
        Assert.DoesNotContain(TheirReason, text, StringComparison.Ordinal);
        Assert.DoesNotContain(4999m, NumbersIn(body)); // their High order's price, as a number (ids may contain the digits)
        Assert.DoesNotContain("Referrer Rita", text, StringComparison.Ordinal);
        Assert.Equal(0, body.GetProperty("referredCount").GetInt32());
        Assert.DoesNotContain(TheirNote, text, StringComparison.Ordinal);
        Assert.DoesNotContain("whale", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagsAndNotes_BelongToTheGroupTheyWereWrittenIn()
    {
        var (mine, member, op) = await SharedMemberAsync();
        var service = Database.Get<MemberService>();

        TestData.Succeeded(await service.DescribeInGroupAsync(op, member, mine, ["tea", " tea ", "oolong"], "Prefers evenings", Ct));
        var intoTheirs = await service.DescribeInGroupAsync(op, member, (await TheirGroupAsync()), ["spam"], "x", Ct);
        var tooLong = await service.DescribeInGroupAsync(op, member, mine, [], new string('n', 2001), Ct);

        var mineOnly = TestData.Succeeded(await Database.Get<MemberDirectory>().GetProfileAsync(op, member, Ct)).Groups.Single();
        Assert.Equal(["tea", "oolong"], mineOnly.Tags);
        Assert.Equal("Prefers evenings", mineOnly.Notes);
        Assert.Equal("forbidden", intoTheirs.Failure!.Code);
        Assert.Equal("notes", tooLong.Failure!.Violations.Single().Field);
        var grid = TestData.Succeeded(await Database.Get<MemberDirectory>().ListAsync(op, mine, new MemberQuery(), Ct));
        Assert.Equal(["tea", "oolong"], grid.Items.Single().Tags);
        var admin = TestData.Succeeded(await Database.Get<MemberDirectory>().GetProfileAsync(TestData.Admin, member, Ct));
        Assert.Contains(admin.Groups, g => g.Notes == TheirNote && g.Tags.SequenceEqual(["whale"]));
    }

    [Fact]
    public async Task AnOperator_MayRenameASharedMember_ButOnlyAnAdminChangesTheirPhoneOrPlatformId()
    {
        var (_, member, op) = await SharedMemberAsync();
        var service = Database.Get<MemberService>();

        var newPhone = await service.UpdateContactAsync(op, member, new MemberContact("Ada", "13900000000"), Ct);
        var newPlatformId = await service.UpdateContactAsync(op, member, new MemberContact("Ada", Phone, "wx_mallory"), Ct);
        var renamed = await service.UpdateContactAsync(op, member, new MemberContact("Ada Lovelace", Phone), Ct);

        Assert.Equal((MemberService.IdentityAdminOnly, MemberService.IdentityAdminOnly), (newPhone.Failure!.Code, newPlatformId.Failure!.Code));
        Assert.True(renamed.Succeeded);
        TestData.Succeeded(await service.UpdateContactAsync(TestData.Admin, member, new MemberContact("Ada Lovelace", "139 0000 0000"), Ct));
        var profile = TestData.Succeeded(await Database.Get<MemberDirectory>().GetProfileAsync(op, member, Ct));
        Assert.Equal(("Ada Lovelace", "+8613900000000"), (profile.DisplayName, profile.Phone));
    }

    private static IEnumerable<decimal> NumbersIn(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => [element.GetDecimal()],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => NumbersIn(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(NumbersIn),
        _ => [],
    };

    private async Task<Guid> TheirGroupAsync()
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Groups.Where(g => g.Name == "Other club").Select(g => g.Id).SingleAsync(Ct);
    }

    [Fact]
    public async Task AnOperatorsStageDecision_IsReadOnlyByOperatorsOfThatGroup()
    {
        var (mine, member, op) = await SharedMemberAsync();
        TestData.Succeeded(await Database.Get<MemberService>().MoveStageAsync(op, member, FunnelStage.Mid, "Asked to slow down", Ct));
        var colleague = await _data.OperatorAsync("colleague@test.local", mine);

        var seenByColleague = TestData.Succeeded(await Database.Get<MemberDirectory>().GetProfileAsync(colleague, member, Ct));
        var seenByAdmin = TestData.Succeeded(await Database.Get<MemberDirectory>().GetProfileAsync(TestData.Admin, member, Ct));

        Assert.Contains(seenByColleague.Timeline, t => t.Reason == "Asked to slow down" && t.GroupId == mine);
        Assert.Contains(seenByAdmin.Timeline, t => t.Reason == "Asked to slow down");
    }

    /// <summary>
    /// A member of "Other club" (a paid High order there, an operator's decision with a reason, a referrer and a referral
    /// only there) whom the operator of "Mine" links into their group by phone and sells one Low product.
    /// </summary>
    private async Task<(Guid Mine, Guid Member, Actor Operator)> SharedMemberAsync()
    {
        var mine = await _data.GroupAsync("Mine");
        var theirs = await _data.GroupAsync("Other club");
        var referrer = await _data.MemberAsync(theirs, "Referrer Rita");
        var member = await _data.MemberAsync(theirs, "Ada", Phone, referrer);
        await _data.MemberAsync(theirs, "Friend of Ada", referrerId: member);
        await _data.OrderAsync(member, theirs, await _data.ProductAsync(FunnelStage.High, 4999m), paid: true);
        var theirOperator = await _data.OperatorAsync("theirs@test.local", theirs);
        TestData.Succeeded(await Database.Get<MemberService>().MoveStageAsync(theirOperator, member, FunnelStage.Mid, TheirReason, Ct));
        TestData.Succeeded(await Database.Get<MemberService>().DescribeInGroupAsync(theirOperator, member, theirs, ["whale"], TheirNote, Ct));
        TestData.Succeeded(await Database.Get<MemberService>().MoveStageAsync(TestData.Admin, member, FunnelStage.High, "Back to High", Ct));

        var op = await _data.OperatorAsync("op@test.local", mine);
        var linked = TestData.Succeeded(await Database.Get<MemberService>().AddToGroupAsync(op, mine, new MemberInput("Ada", Phone), Ct));
        Assert.Equal(member, linked.Id);
        await _data.OrderAsync(member, mine, await _data.ProductAsync(FunnelStage.Low, 9.9m), paid: true);
        return (mine, member, op);
    }
}
