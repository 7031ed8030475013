using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Pricing;

namespace CommunityFunnel.Domain.Tests.Pricing;

public sealed class ProductSpecTests
{
    private static readonly TierLadder Cny = TierLadder.Create("CNY", TierLadder.DefaultBands("CNY")).Ladder!;

    private static TierLadder? Ladders(string currency) => currency == "CNY" ? Cny : null;

    [Fact]
    public void Validate_AcceptsAProfitProductInsideItsBand()
    {
        var (spec, errors) = ProductSpec.Validate(" 龙井礼盒 🍵 ", null, FunnelStage.Mid, 399m, null, ProductKind.Profit, Ladders);

        Assert.Empty(errors);
        Assert.Equal(("龙井礼盒 🍵", "CNY"), (spec.Name, spec.Currency));
    }

    [Fact]
    public void Validate_RefusesAProfitProductBelowItsBand_AndSuggestsTheTrafficKind()
    {
        var (_, errors) = ProductSpec.Validate("Cheap mid", null, FunnelStage.Mid, 9.9m, "CNY", ProductKind.Profit, Ladders);

        var error = Assert.Single(errors);
        Assert.Equal(("price_outside_band", "price"), (error.Code, error.Field));
        Assert.Contains("traffic product", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AcceptsATrafficProductBelowItsBand_ButNeverAbove()
    {
        Assert.Empty(ProductSpec.Validate("Trial", null, FunnelStage.Mid, 9.9m, "CNY", ProductKind.Traffic, Ladders).Errors);
        Assert.NotEmpty(ProductSpec.Validate("Trial", null, FunnelStage.Mid, 5000m, "CNY", ProductKind.Traffic, Ladders).Errors);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-9.9)]
    public void Validate_RefusesZeroAndNegativePrices(decimal price)
    {
        var (_, errors) = ProductSpec.Validate("Tea", null, FunnelStage.Low, price, "CNY", ProductKind.Profit, Ladders);

        Assert.Contains(errors, e => e.Code == "price_not_positive" && e.Field == "price");
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        var (_, errors) = ProductSpec.Validate(new string('x', 500), null, FunnelStage.Free, 1.234m, "XXX", ProductKind.Profit, Ladders);

        Assert.Contains(errors, e => e.Code == "name_too_long");
        Assert.Contains(errors, e => e.Code == "invalid_tier");
        Assert.Contains(errors, e => e.Code == "unknown_currency");
        Assert.Contains(errors, e => e.Code == "invalid_price");
    }

    [Fact]
    public void Validate_ExplainsAMissingLadder()
    {
        var (_, errors) = ProductSpec.Validate("Tea", null, FunnelStage.Low, 9.9m, "GBP", ProductKind.Profit, Ladders);

        Assert.Contains(errors, e => e.Code == "no_price_ladder" && e.Message.Contains("GBP", StringComparison.Ordinal));
    }
}
