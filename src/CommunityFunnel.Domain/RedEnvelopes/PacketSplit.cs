namespace CommunityFunnel.Domain.RedEnvelopes;

/// <summary>What is wrong with a wave's budget and packet count, if anything.</summary>
public enum PacketSplitProblem
{
    None,
    PacketCountOutOfRange,
    BudgetNotInMinorUnits,
    BudgetBelowOneMinorUnitAPacket,
}

/// <summary>
/// Splits a wave's budget into its packets once, when the rain is saved, so the published split never changes. The
/// "double mean" method: each packet is drawn uniformly between one minor unit and twice the mean of what is left
/// (never leaving less than a minor unit for each packet still to draw), and the last takes the rest, so every position
/// has the same expected amount, no packet exceeds twice the mean of its moment, and the packets add up to the budget
/// exactly. Amounts are counted in whole minor units, never in fractions of a cent.
/// </summary>
public static class PacketSplit
{
    public const int MaxPackets = 10_000;

    public static PacketSplitProblem ProblemWith(decimal budget, int packets, decimal minorUnit) =>
        packets is < 1 or > MaxPackets ? PacketSplitProblem.PacketCountOutOfRange
        : budget % minorUnit != 0 ? PacketSplitProblem.BudgetNotInMinorUnits
        : budget < packets * minorUnit ? PacketSplitProblem.BudgetBelowOneMinorUnitAPacket
        : PacketSplitProblem.None;

    public static IReadOnlyList<decimal> DoubleMean(decimal budget, int packets, decimal minorUnit, Random random)
    {
        if (ProblemWith(budget, packets, minorUnit) is var problem and not PacketSplitProblem.None)
        {
            throw new ArgumentException($"A budget of {budget} cannot be split into {packets} packets: {problem}.", nameof(budget));
        }

        var left = (long)(budget / minorUnit);
        var amounts = new decimal[packets];
        for (var i = 0; i < packets - 1; i++)
        {
            var toDraw = packets - i;
            var most = Math.Min(2 * left / toDraw, left - (toDraw - 1));
            var units = random.NextInt64(1, most + 1);
            amounts[i] = units * minorUnit;
            left -= units;
        }

        amounts[^1] = left * minorUnit;
        return amounts;
    }
}
