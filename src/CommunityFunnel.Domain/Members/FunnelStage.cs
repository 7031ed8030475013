namespace CommunityFunnel.Domain.Members;

/// <summary>The ladder, in order: a higher value is further down the funnel.</summary>
public enum FunnelStage
{
    Free = 0,
    Low = 1,
    Mid = 2,
    High = 3,
    Sharing = 4,
}

public static class FunnelStages
{
    public static readonly IReadOnlyList<FunnelStage> All = Enum.GetValues<FunnelStage>();

    /// <summary>The stages a product can be priced in.</summary>
    public static readonly IReadOnlyList<FunnelStage> PaidTiers = [FunnelStage.Low, FunnelStage.Mid, FunnelStage.High];

    public static bool IsPaidTier(this FunnelStage stage) => stage is FunnelStage.Low or FunnelStage.Mid or FunnelStage.High;
}
