using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Payouts;

/// <summary>
/// Partners with rebates, made the way live ones are: a plan paying 10 % on level 1 with no hold, a referred buyer who pays
/// a Mid order of ten times the rebate, and the release job run.
/// </summary>
internal sealed class Partners(PostgresFixture database)
{
    private readonly TestData _data = new(database);
    private int _made;

    public async Task PlanAsync(string currency = "CNY") =>
        TestData.Succeeded(await database.Get<CommissionPlans>().SaveAsync(TestData.Admin, currency,
            new CommissionTerms(10m, 0m, HoldDays: 0, null, null, IncludeTraffic: false, IncludeFlashSales: true, []), default));

    /// <summary>A new member of <paramref name="groupId"/> with <paramref name="available"/> available in the group's currency.</summary>
    public async Task<Guid> WithAvailableAsync(Guid groupId, string name, decimal available, string currency = "CNY", string? phone = null)
    {
        var partner = await _data.MemberAsync(groupId, name, phone);
        await EarnAsync(partner, groupId, available, currency);
        return partner;
    }

    /// <summary>
    /// Another rebate of <paramref name="amount"/> for <paramref name="partner"/>, released (available) unless told otherwise;
    /// returns the buyer's order that earned it.
    /// </summary>
    public async Task<Guid> EarnAsync(Guid partner, Guid groupId, decimal amount, string currency = "CNY", bool release = true)
    {
        var buyer = await _data.MemberAsync(groupId, $"Buyer {++_made}", referrerId: partner);
        var order = await _data.OrderAsync(buyer, groupId, await _data.ProductAsync(FunnelStage.Mid, amount * 10, currency), paid: true);
        if (release)
        {
            await database.Get<RebateLedger>().ReleaseDueAsync(default);
        }

        return order;
    }

    public async Task<RebateStatement> StatementAsync(Guid member, string currency = "CNY") =>
        TestData.Succeeded(await database.Get<RebateAccounts>().StatementAsync(TestData.Admin, member, currency, default));
}
