using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Application.Referrals;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.Domain.Referrals;
using CommunityFunnel.IntegrationTests.Infrastructure;
using CommunityFunnel.IntegrationTests.Rebates;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Referrals;

/// <summary>The periodic check that sends referrers whose referred members never pay to review.</summary>
public sealed class NeverPayingReferralsTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private NeverPayingReferrals Check => Database.Get<NeverPayingReferrals>();

    /// <summary>A referrer with <paramref name="referred"/> referred members, the first <paramref name="payers"/> of whom paid.</summary>
    private async Task<(Guid Referrer, List<Guid> Referred)> ReferrerAsync(Guid group, Guid product, string name, int referred, int payers)
    {
        var referrer = await _data.MemberAsync(group, name);
        var members = new List<Guid>();
        for (var i = 0; i < referred; i++)
        {
            var member = await _data.MemberAsync(group, $"{name} friend {i}", referrerId: referrer);
            members.Add(member);
            if (i < payers)
            {
                await _data.OrderAsync(member, group, product, paid: true);
            }
        }

        return (referrer, members);
    }

    private async Task<Dictionary<Guid, ReferralStatus>> StatusesAsync(IEnumerable<Guid> members)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Referrals.Where(r => members.Contains(r.MemberId)).ToDictionaryAsync(r => r.MemberId, r => r.Status, Ct);
    }

    [Fact]
    public async Task AReferrerWhoseOldReferralsMostlyNeverPaid_HasEveryAcceptedReferralFlagged_AndTheirRebatesHeld()
    {
        TestData.Succeeded(await Database.Get<CommissionPlans>().SaveAsync(TestData.Admin, "CNY", new CommissionTerms(10m, 0m, 7, null, null, false, true, []), Ct));
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync(FunnelStage.Mid, 200m);
        var (farmer, farmed) = await ReferrerAsync(group, product, "Farmer", referred: 5, payers: 1); // 4 of 5 never paid: 80 %
        var (honest, brought) = await ReferrerAsync(group, product, "Honest", referred: 5, payers: 2); // 3 of 5: 60 %
        var (_, few) = await ReferrerAsync(group, product, "Newcomer", referred: 4, payers: 0); // too few to judge

        Database.Clock.Advance(NeverPayingReferrals.GracePeriod - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Check.FlagAsync(Ct)); // nobody has had 30 days to pay yet

        Database.Clock.Advance(TimeSpan.FromMinutes(1));
        var young = await _data.MemberAsync(group, "Farmer friend late", referrerId: farmer); // joined today: flagged with the rest
        Assert.Equal(6, await Check.FlagAsync(Ct));
        Assert.Equal(0, await Check.FlagAsync(Ct)); // once

        Assert.All((await StatusesAsync([.. farmed, young])).Values, s => Assert.Equal(ReferralStatus.Flagged, s));
        Assert.All((await StatusesAsync([.. brought, .. few])).Values, s => Assert.Equal(ReferralStatus.Accepted, s));
        var queue = await Database.Get<ReferralReview>().ListAsync(TestData.Admin, Ct);
        Assert.Equal(6, queue.Count(r => r.ReferrerId == farmer && r.Reasons.Contains(ReferralReasons.ReferredNeverPay)));

        Database.Clock.Advance(TimeSpan.FromDays(7)); // every hold has ended, but the farmer's rebate waits for review
        await Database.Get<RebateLedger>().ReleaseDueAsync(Ct);
        var farmersRebates = TestData.Succeeded(await Database.Get<RebateAccounts>().StatementAsync(TestData.Admin, farmer, "CNY", Ct));
        var honestRebates = TestData.Succeeded(await Database.Get<RebateAccounts>().StatementAsync(TestData.Admin, honest, "CNY", Ct));
        Assert.Equal((20m, 0m), (farmersRebates.Pending, farmersRebates.Available));
        Assert.Equal((0m, 40m), (honestRebates.Pending, honestRebates.Available));
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }
}
