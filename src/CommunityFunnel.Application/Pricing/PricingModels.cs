using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Pricing;

namespace CommunityFunnel.Application.Pricing;

public sealed record BandInput(FunnelStage Tier, decimal MinPrice, decimal? MaxPrice);

public sealed record LadderView(string Currency, IReadOnlyList<PriceBand> Bands);

public sealed record ProductInput(string? Name, string? Description, FunnelStage Tier, decimal Price, string? Currency, ProductKind Kind);

public sealed record ProductRow(
    Guid Id,
    string Name,
    string Description,
    FunnelStage Tier,
    decimal Price,
    string Currency,
    ProductKind Kind,
    bool IsActive,
    int GroupCount)
{
    /// <summary>Its pictures, the cover first.</summary>
    public IReadOnlyList<ProductPictureView> Pictures { get; init; } = [];
}
