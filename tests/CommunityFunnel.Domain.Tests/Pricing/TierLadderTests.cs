using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Pricing;

namespace CommunityFunnel.Domain.Tests.Pricing;

public sealed class TierLadderTests
{
    private static PriceBand Band(FunnelStage tier, decimal min, decimal? max) => new("CNY", tier, min, max);

    [Theory]
    [InlineData("CNY")]
    [InlineData("EUR")]
    [InlineData("USD")]
    [InlineData("JPY")]
    public void DefaultBands_AreAValidLadder_ForCommonCurrencies(string currency)
    {
        var (ladder, errors) = TierLadder.Create(currency, TierLadder.DefaultBands(currency));

        Assert.Empty(errors);
        Assert.NotNull(ladder);
    }

    [Theory]
    [InlineData(9.9, FunnelStage.Low)]
    [InlineData(29.9, FunnelStage.Low)]
    [InlineData(99, FunnelStage.Low)]
    [InlineData(100, FunnelStage.Mid)]
    [InlineData(2999.99, FunnelStage.Mid)]
    [InlineData(3000, FunnelStage.High)]
    public void TierOf_FollowsThePlaybook_ForCny(decimal price, FunnelStage expected)
    {
        var ladder = TierLadder.Create("CNY", TierLadder.DefaultBands("CNY")).Ladder!;

        Assert.Equal(expected, ladder.TierOf(price));
    }

    [Fact]
    public void Create_ReportsOverlap_WhenMidStartsInsideLow()
    {
        var (ladder, errors) = TierLadder.Create("CNY", [Band(FunnelStage.Low, 1, 100), Band(FunnelStage.Mid, 90, 3000), Band(FunnelStage.High, 3000, null)]);

        Assert.Null(ladder);
        var error = Assert.Single(errors);
        Assert.Equal(("bands_overlap", "mid.min"), (error.Code, error.Field));
        Assert.Contains("overlaps the Low band", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ReportsDescendingBands_WhenHighStartsBelowMid()
    {
        var (_, errors) = TierLadder.Create("CNY", [Band(FunnelStage.Low, 1, 100), Band(FunnelStage.Mid, 100, 3000), Band(FunnelStage.High, 50, null)]);

        Assert.Contains(errors, e => e.Code == "bands_descending" && e.Field == "high.min");
    }

    [Fact]
    public void Create_RefusesNegativeAndEmptyBands()
    {
        var (_, errors) = TierLadder.Create("CNY", [Band(FunnelStage.Low, -1, 100), Band(FunnelStage.Mid, 200, 200), Band(FunnelStage.High, 3000, 5000)]);

        Assert.Contains(errors, e => e.Code == "band_min_not_positive");
        Assert.Contains(errors, e => e.Code == "band_empty" && e.Field == "mid.max");
        Assert.Contains(errors, e => e.Code == "band_high_bounded");
    }

    [Fact]
    public void Create_RequiresOneBandPerPaidTier()
    {
        var (_, errors) = TierLadder.Create("CNY", [Band(FunnelStage.Low, 1, 100), Band(FunnelStage.Low, 1, 100)]);

        Assert.Contains(errors, e => e.Code == "band_missing" && e.Message.Contains("Low", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Code == "band_missing" && e.Message.Contains("Mid", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_AllowsAGapBetweenBands()
    {
        var (ladder, errors) = TierLadder.Create("CNY", [Band(FunnelStage.Low, 1, 50), Band(FunnelStage.Mid, 100, 3000), Band(FunnelStage.High, 3000, null)]);

        Assert.Empty(errors);
        Assert.Null(ladder!.TierOf(75));
    }
}
