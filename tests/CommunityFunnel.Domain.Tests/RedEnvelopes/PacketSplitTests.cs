using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.RedEnvelopes;

namespace CommunityFunnel.Domain.Tests.RedEnvelopes;

public sealed class PacketSplitTests
{
    [Theory]
    [InlineData("CNY")]
    [InlineData("JPY")]
    public void ManyRandomBudgets_SplitExactly_EachPacketBetweenOneUnitAndTwiceTheMeanLeft(string currency)
    {
        var minorUnit = Currencies.MinorUnit(currency);
        var random = new Random(20261207);
        for (var wave = 0; wave < 2_000; wave++)
        {
            var packets = wave % 10 == 0 ? random.Next(1, 3) : random.Next(1, 200);
            var budget = (packets + random.NextInt64(0, 50_000)) * minorUnit;

            var split = PacketSplit.DoubleMean(budget, packets, minorUnit, random);

            Assert.Equal(packets, split.Count);
            Assert.Equal(budget, split.Sum());
            var left = budget;
            for (var i = 0; i < split.Count; i++)
            {
                Assert.True(split[i] >= minorUnit, $"{budget} {currency} into {packets}: packet {i} is {split[i]}");
                Assert.True(split[i] % minorUnit == 0, $"packet {i} is {split[i]}, not whole minor units");
                Assert.True(split[i] <= Math.Max(2 * left / (packets - i), minorUnit), $"packet {i} is {split[i]}, above twice the mean of {left} left");
                left -= split[i];
            }
        }
    }

    [Fact]
    public void TheSmallestBudget_GivesEveryPacketOneMinorUnit_AndTheLargestCountWorks()
    {
        Assert.All(PacketSplit.DoubleMean(0.50m, 50, 0.01m, new Random(1)), amount => Assert.Equal(0.01m, amount));
        var most = PacketSplit.DoubleMean(100_000m, PacketSplit.MaxPackets, 0.01m, new Random(2));
        Assert.Equal(100_000m, most.Sum());
    }

    [Fact]
    public void EveryPosition_ExpectsTheSameAmount()
    {
        var random = new Random(7);
        var totals = new decimal[5];
        const int Waves = 40_000;
        for (var wave = 0; wave < Waves; wave++)
        {
            var split = PacketSplit.DoubleMean(100m, 5, 0.01m, random);
            for (var i = 0; i < 5; i++)
            {
                totals[i] += split[i];
            }
        }

        Assert.All(totals, total => Assert.InRange(total / Waves, 19.5m, 20.5m)); // the mean of 20, within 2.5 %
    }

    [Theory]
    [InlineData(10, 0, "CNY", PacketSplitProblem.PacketCountOutOfRange)]
    [InlineData(200_000, 10_001, "CNY", PacketSplitProblem.PacketCountOutOfRange)]
    [InlineData(0.49, 50, "CNY", PacketSplitProblem.BudgetBelowOneMinorUnitAPacket)]
    [InlineData(49, 50, "JPY", PacketSplitProblem.BudgetBelowOneMinorUnitAPacket)]
    [InlineData(10.005, 5, "CNY", PacketSplitProblem.BudgetNotInMinorUnits)]
    [InlineData(100.5, 5, "JPY", PacketSplitProblem.BudgetNotInMinorUnits)]
    [InlineData(0.50, 50, "CNY", PacketSplitProblem.None)]
    public void ABudgetThatCannotBeSplit_SaysWhy(double budget, int packets, string currency, PacketSplitProblem problem)
    {
        var minorUnit = Currencies.MinorUnit(currency);

        Assert.Equal(problem, PacketSplit.ProblemWith((decimal)budget, packets, minorUnit));
        if (problem != PacketSplitProblem.None)
        {
            Assert.Throws<ArgumentException>(() => PacketSplit.DoubleMean((decimal)budget, packets, minorUnit, new Random(1)));
        }
    }
}
