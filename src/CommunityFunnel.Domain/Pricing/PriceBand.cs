using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Pricing;

/// <summary>The prices that count as one paid tier in one currency: from <see cref="MinPrice"/> up to, not including, <see cref="MaxPrice"/>.</summary>
public sealed record PriceBand(string Currency, FunnelStage Tier, decimal MinPrice, decimal? MaxPrice)
{
    public bool Contains(decimal price) => price >= MinPrice && (MaxPrice is null || price < MaxPrice);

    public string Describe() => MaxPrice is { } max ? $"{MinPrice:0.##} to under {max:0.##} {Currency}" : $"from {MinPrice:0.##} {Currency}";
}
