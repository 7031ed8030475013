using CommunityFunnel.Domain.Rebates;

namespace CommunityFunnel.Domain.Tests.Orders;

public sealed class RebateRulesTests
{
    [Theory]
    [InlineData(399.99, 10, 5, 1, null, 0.01, 39.99, 19.99)]
    [InlineData(100, 10, 5, 2, null, 0.01, 20, 10)] // promotion day x2
    [InlineData(100, 60, 40, 2, null, 0.01, 100, 0)] // a multiplied rate never pays more than the order
    [InlineData(1000, 20, 10, 1, 250.0, 0.01, 200, 50)] // the cap bounds both levels together, level 1 first
    [InlineData(1999, 3, 1, 1, null, 1, 59, 19)] // yen: whole units
    public void Split_RoundsDownPerLevel_WithinTheCapAndTheOrder(
        double amount, double level1, double level2, double multiplier, double? cap, double minorUnit, double expected1, double expected2)
    {
        var (first, second) = RebateRules.Split((decimal)amount, (decimal)level1, (decimal)level2, (decimal)multiplier, (decimal?)cap, (decimal)minorUnit);

        Assert.Equal(((decimal)expected1, (decimal)expected2), (first, second));
    }

    [Theory]
    [InlineData(9.99, 33.33, 99.99, 3.33)]
    [InlineData(4.99, 33.33, 99.99, 1.66)]
    [InlineData(0.05, 50, 100, 0.03)] // half a cent rounds away from zero
    [InlineData(9.99, 99.99, 99.99, 9.99)] // everything refunded: everything back, whatever the rounding said before
    public void ClawedBackSoFar_IsProportional_AndExactAtTheFullRefund(double earned, double refunded, double paid, double expected) =>
        Assert.Equal((decimal)expected, RebateRules.ClawedBackSoFar((decimal)earned, (decimal)refunded, (decimal)paid, 0.01m));

    [Fact]
    public void RepeatedPartialRefunds_TakeBackExactlyWhatWasEarned()
    {
        var earned = 9.99m;
        var takenBack = 0m;
        var refunded = 0m;
        foreach (var part in new[] { 10m, 33.33m, 0.01m, 56.65m })
        {
            refunded += part;
            takenBack += RebateRules.ClawedBackSoFar(earned, refunded, 99.99m, 0.01m) - takenBack;
        }

        Assert.Equal(earned, takenBack);
    }

    [Theory]
    [InlineData(10, 5, 7, null)]
    [InlineData(-1, 0, 7, "invalid_percent")]
    [InlineData(100.5, 0, 7, "invalid_percent")]
    [InlineData(10, 11, 7, "level2_above_level1")]
    [InlineData(60, 50, 7, "rates_above_100")]
    [InlineData(10, 5, -1, "invalid_hold_days")]
    public void Terms_AreChecked(double level1, double level2, int hold, string? code)
    {
        var errors = CommissionTerms.Check(new CommissionTerms((decimal)level1, (decimal)level2, hold, null, null, false, true, []));

        Assert.Equal(code, errors.Count == 0 ? null : errors[0].Code);
    }
}
