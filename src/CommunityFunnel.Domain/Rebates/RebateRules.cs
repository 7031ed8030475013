namespace CommunityFunnel.Domain.Rebates;

/// <summary>
/// The ledger's arithmetic. Rebates are rounded down to the currency's minor unit, so a referrer is never paid more than
/// the rate; clawbacks take back in proportion to what was refunded, rounded half away from zero, and everything once the
/// whole order is refunded, so repeated partial refunds never drift from the total.
/// </summary>
public static class RebateRules
{
    /// <summary>
    /// Each level's rebate on an order of <paramref name="orderAmount"/>: its percentage times the promotion-day
    /// <paramref name="multiplier"/>, rounded down. Level 1 is paid first; the cap (and the order amount itself, which a
    /// multiplied rate could exceed) bounds the two together.
    /// </summary>
    public static (decimal Level1, decimal Level2) Split(
        decimal orderAmount, decimal level1Percent, decimal level2Percent, decimal multiplier, decimal? perOrderCap, decimal minorUnit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(orderAmount);
        ArgumentOutOfRangeException.ThrowIfLessThan(multiplier, 1m);
        var ceiling = perOrderCap is { } cap ? Math.Min(cap, orderAmount) : orderAmount;
        var level1 = Math.Min(Down(orderAmount * level1Percent / 100m * multiplier, minorUnit), ceiling);
        var level2 = Math.Min(Down(orderAmount * level2Percent / 100m * multiplier, minorUnit), ceiling - level1);
        return (level1, level2);
    }

    /// <summary>How much of <paramref name="earned"/> is taken back once <paramref name="refundedTotal"/> of <paramref name="paid"/> was refunded.</summary>
    public static decimal ClawedBackSoFar(decimal earned, decimal refundedTotal, decimal paid, decimal minorUnit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(paid);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(refundedTotal, paid);
        if (refundedTotal == paid)
        {
            return earned;
        }

        return Math.Min(earned, Math.Round(earned * refundedTotal / paid / minorUnit, MidpointRounding.AwayFromZero) * minorUnit);
    }

    private static decimal Down(decimal amount, decimal minorUnit) => Math.Floor(amount / minorUnit) * minorUnit;
}
