using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Application.Analytics;

/// <summary>Of the members who reached <see cref="From"/>, the share who went on to reach <see cref="To"/>.</summary>
public sealed record StageConversion(FunnelStage From, FunnelStage To, int ReachedFrom, int ReachedTo)
{
    public double Rate => ReachedFrom == 0 ? 0 : (double)ReachedTo / ReachedFrom;
}

public sealed record TierRevenue(string Currency, FunnelStage Tier, decimal Amount, int OrderCount);

public sealed record DailyCount(DateOnly Day, int Count);

public sealed record DashboardData(
    string Scope,
    int MemberCount,
    IReadOnlyDictionary<FunnelStage, int> StageCounts,
    IReadOnlyList<StageConversion> Conversions,
    IReadOnlyList<TierRevenue> RevenueLast30Days,
    IReadOnlyList<DailyCount> NewMembersLast7Days);
