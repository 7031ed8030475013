using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Orders;

/// <summary>What a group-buy order copies from its offering.</summary>
public sealed record GroupBuySource(Guid GroupBuyId, Guid GroupId, Guid ProductId, FunnelStage Tier, string Currency);
