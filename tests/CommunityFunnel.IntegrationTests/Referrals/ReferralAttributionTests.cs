using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Application.Referrals;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.Domain.Referrals;
using CommunityFunnel.IntegrationTests.Infrastructure;
using CommunityFunnel.IntegrationTests.Rebates;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Referrals;

public sealed class ReferralAttributionTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    private MemberService Members => Database.Get<MemberService>();

    private async Task<string> CodeOfAsync(Guid member)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Members.Where(m => m.Id == member).Select(m => m.ReferralCode).SingleAsync(Ct);
    }

    private async Task<List<Referral>> ReferralsOfAsync(Guid member)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Referrals.AsNoTracking().Where(r => r.MemberId == member).ToListAsync(Ct);
    }

    [Fact]
    public async Task TheApi_RecordsTheReferrerOfACode_AndShowsCodeAndReferrer()
    {
        var group = await _data.GroupAsync();
        var referrer = await _data.MemberAsync(group, "Referrer", phone: "13800138001");
        var code = await CodeOfAsync(referrer);

        var response = await Api.PostAsJsonAsync($"/api/v1/groups/{group}/members", new { displayName = "Newcomer", phone = "13800138002", referrerCode = code }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var profile = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}", Ct);
        Assert.Equal(referrer, profile.GetProperty("referrerId").GetGuid());
        Assert.Equal(await CodeOfAsync(id), profile.GetProperty("referralCode").GetString());
        Assert.Equal(ReferralStatus.Accepted, Assert.Single(await ReferralsOfAsync(id)).Status);
    }

    [Fact]
    public async Task ACodeThatNamesNobody_OrSomeoneOfAnotherGroup_IsRefused_AndNothingIsWritten()
    {
        var group = await _data.GroupAsync();
        var elsewhere = await _data.MemberAsync(await _data.GroupAsync("Other group"), "Elsewhere");

        var unknown = await Api.PostAsJsonAsync($"/api/v1/groups/{group}/members", new { displayName = "New", phone = "13800138003", referrerCode = "NOSUCH00" }, Ct);
        var foreign = await Api.PostAsJsonAsync($"/api/v1/groups/{group}/members", new { displayName = "New", phone = "13800138003", referrerCode = await CodeOfAsync(elsewhere) }, Ct);

        Assert.Equal(("unknown_referral_code", "referrer_not_in_group"), (await CodeAsync(unknown), await CodeAsync(foreign)));
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.Members.AnyAsync(m => m.Phone == "+8613800138003", Ct));
        Assert.False(await db.Referrals.AnyAsync(Ct));
    }

    [Fact]
    public async Task SelfReferrals_AreRefusedWithTheirReason_ByPhoneOrPlatformIdOrTheSameMember()
    {
        var group = await _data.GroupAsync();
        var referrer = TestData.Succeeded(await Members.AddToGroupAsync(TestData.Admin, group, new MemberInput("Referrer", "13800138004", "tg_ref"), Ct)).Id;
        var code = await CodeOfAsync(referrer);

        // The join page: the referrer's own phone is a registered one; the attempt is recorded and refused.
        var byPhone = await Members.AddNewcomerAsync(group, new MemberInput("Me again", "13800138004", ReferrerCode: code), "203.0.113.9", Ct);
        // The API: the referrer's own platform id is the same person.
        TestData.Succeeded(await Members.AddToGroupAsync(TestData.Admin, group, new MemberInput("Referrer", ExternalId: "tg_ref", ReferrerCode: code), Ct));

        Assert.Equal(MemberService.AlreadyRegistered, byPhone.Failure?.Code);
        var refusals = await ReferralsOfAsync(referrer);
        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, r => Assert.Equal((ReferralStatus.Refused, ReferralReasons.SelfReferral), (r.Status, Assert.Single(r.Reasons))));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Null((await db.Members.SingleAsync(m => m.Id == referrer, Ct)).ReferrerId);
    }

    [Fact]
    public async Task ReferringSomeoneWhoWasAlreadyAMember_IsRefused_AndTheFirstReferrerSticks()
    {
        var home = await _data.GroupAsync();
        var first = await _data.MemberAsync(home, "First referrer");
        var existing = await _data.MemberAsync(home, "Existing", phone: "13800138005", referrerId: first);
        var second = await _data.MemberAsync(home, "Second referrer");

        TestData.Succeeded(await Members.AddToGroupAsync(TestData.Admin, home, new MemberInput("Existing", "13800138005", ReferrerCode: await CodeOfAsync(second)), Ct));

        var referrals = await ReferralsOfAsync(existing);
        Assert.Contains(referrals, r => r.Status == ReferralStatus.Accepted && r.ReferrerId == first);
        Assert.Contains(referrals, r => r.Status == ReferralStatus.Refused && r.ReferrerId == second && r.Reasons.SequenceEqual([ReferralReasons.AlreadyMember]));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(first, (await db.Members.SingleAsync(m => m.Id == existing, Ct)).ReferrerId);
    }

    [Fact]
    public async Task ManyJoinsFromOneAddress_AndSimilarNames_AreFlagged()
    {
        var group = await _data.GroupAsync();
        var referrer = await _data.MemberAsync(group, "Anna Lee");
        var code = await CodeOfAsync(referrer);
        var statuses = new List<ReferralStatus>();
        for (var i = 0; i < ReferralAttribution.JoinsPerAddressPerHour + 1; i++)
        {
            var joined = TestData.Succeeded(await Members.AddNewcomerAsync(group, new MemberInput($"Friend {i}", $"1380013810{i}", ReferrerCode: code), "198.51.100.7", Ct));
            statuses.Add(Assert.Single(await ReferralsOfAsync(joined.Id)).Status);
        }

        var lookalike = TestData.Succeeded(await Members.AddNewcomerAsync(group, new MemberInput("Ana Lee", "13800138199", ReferrerCode: code), "192.0.2.1", Ct));

        Assert.Equal([ReferralStatus.Accepted, ReferralStatus.Accepted, ReferralStatus.Accepted, ReferralStatus.Flagged], statuses);
        var flagged = Assert.Single(await ReferralsOfAsync(lookalike.Id));
        Assert.Equal((ReferralStatus.Flagged, ReferralReasons.SimilarNames), (flagged.Status, Assert.Single(flagged.Reasons)));
        Database.Clock.Advance(TimeSpan.FromHours(1));
        var later = TestData.Succeeded(await Members.AddNewcomerAsync(group, new MemberInput("Friend later", "13800138200", ReferrerCode: code), "198.51.100.7", Ct));
        Assert.Equal(ReferralStatus.Accepted, Assert.Single(await ReferralsOfAsync(later.Id)).Status);
    }

    [Fact]
    public async Task AFlaggedReferralsRebates_WaitForReview_ThenApprovalReleasesAndRejectionVoids()
    {
        TestData.Succeeded(await Database.Get<CommissionPlans>().SaveAsync(TestData.Admin, "CNY", new CommissionTerms(10m, 0m, 1, null, null, false, true, []), Ct));
        var group = await _data.GroupAsync();
        var referrer = await _data.MemberAsync(group, "Anna Lee");
        var code = await CodeOfAsync(referrer);
        var approvedOne = TestData.Succeeded(await Members.AddNewcomerAsync(group, new MemberInput("Ana Lee", "13800138301", ReferrerCode: code), null, Ct)).Id;
        var rejectedOne = TestData.Succeeded(await Members.AddNewcomerAsync(group, new MemberInput("Anna Lea", "13800138302", ReferrerCode: code), null, Ct)).Id;
        var product = await _data.ProductAsync(FunnelStage.Mid, 100m);
        await _data.OrderAsync(approvedOne, group, product, paid: true);
        await _data.OrderAsync(rejectedOne, group, product, paid: true);
        var ledger = Database.Get<RebateLedger>();
        var review = Database.Get<ReferralReview>();

        Database.Clock.Advance(TimeSpan.FromDays(2));
        await ledger.ReleaseDueAsync(Ct);
        Assert.Equal((20m, 0m), await BalancesAsync(referrer)); // both held for review past their hold

        var queue = await review.ListAsync(TestData.Admin, Ct);
        Assert.Equal([approvedOne, rejectedOne], queue.Select(f => f.MemberId));
        var outsider = await _data.OperatorAsync("outsider@test.local", await _data.GroupAsync("Not theirs"));
        Assert.Empty(await review.ListAsync(outsider, Ct));
        Assert.Equal("forbidden", (await review.ApproveAsync(outsider, queue[0].Id, Ct)).Failure?.Code);

        TestData.Succeeded(await review.ApproveAsync(TestData.Admin, queue[0].Id, Ct));
        TestData.Succeeded(await review.RejectAsync(TestData.Admin, queue[1].Id, Ct));
        await ledger.ReleaseDueAsync(Ct);

        Assert.Equal((0m, 10m), await BalancesAsync(referrer));
        await _data.OrderAsync(rejectedOne, group, product, paid: true); // a rejected referral earns nothing more
        Assert.Equal((0m, 10m), await BalancesAsync(referrer));
        Assert.Equal("referral_not_in_review", (await review.ApproveAsync(TestData.Admin, queue[1].Id, Ct)).Failure?.Code);
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task PartnerBoard_CountsJoinsPayersRevenueAndNetRebates_OnlyInGroupsTheActorRuns()
    {
        TestData.Succeeded(await Database.Get<CommissionPlans>().SaveAsync(TestData.Admin, "CNY", new CommissionTerms(10m, 0m, 7, null, null, false, true, []), Ct));
        var group = await _data.GroupAsync();
        var referrer = await _data.MemberAsync(group, "Partner");
        var payer = await _data.MemberAsync(group, "Payer", referrerId: referrer);
        await _data.MemberAsync(group, "Lurker", referrerId: referrer);
        var product = await _data.ProductAsync(FunnelStage.Mid, 399m);
        await _data.OrderAsync(payer, group, product, paid: true);
        var refunded = await _data.OrderAsync(payer, group, product, paid: true);
        TestData.Succeeded(await Database.Get<Application.Orders.OrderService>().RefundAsync(TestData.Admin, refunded, Ct));
        var partlyRefunded = await _data.OrderAsync(payer, group, product, paid: true);
        TestData.Succeeded(await Database.Get<Application.Orders.OrderService>().RefundAsync(TestData.Admin, partlyRefunded, new RefundRequest(Amount: 99m), Ct));
        var smaller = await _data.MemberAsync(group, "Small partner");
        await _data.OrderAsync(await _data.MemberAsync(group, "Friend", referrerId: smaller), group, await _data.ProductAsync(FunnelStage.Low, 20m), paid: true);
        var elsewhere = await _data.GroupAsync("Elsewhere");
        await _data.MemberAsync(elsewhere, "Their friend", referrerId: await _data.MemberAsync(elsewhere, "Their partner"));
        var mine = await _data.OperatorAsync("mine@test.local", group);
        var theirs = await _data.OperatorAsync("theirs@test.local", elsewhere);

        var rows = await Database.Get<PartnerBoard>().ListAsync(mine, null, Ct);

        Assert.Equal([referrer, smaller], rows.Select(r => r.MemberId)); // by revenue brought
        var row = rows[0];
        Assert.Equal((2, 1, 699m, 69.9m, "CNY"), (row.Joins, row.ReferredPayers, row.RevenueBrought, row.Rebates, row.Currency)); // 399 + 399 - 99; 39.9 + 30
        Assert.Equal((1, 1, 20m), (rows[1].Joins, rows[1].ReferredPayers, rows[1].RevenueBrought));
        Assert.Equal(["Their partner"], (await Database.Get<PartnerBoard>().ListAsync(theirs, null, Ct)).Select(r => r.Name));
        Assert.Single(await Database.Get<PartnerBoard>().ListAsync(TestData.Admin, elsewhere, Ct));
    }

    private async Task<(decimal Pending, decimal Available)> BalancesAsync(Guid member)
    {
        var statement = TestData.Succeeded(await Database.Get<RebateAccounts>().StatementAsync(TestData.Admin, member, "CNY", Ct));
        return (statement.Pending, statement.Available);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString();
    }
}
