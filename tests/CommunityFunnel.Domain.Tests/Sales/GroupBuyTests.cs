using CommunityFunnel.Domain.Sales;

namespace CommunityFunnel.Domain.Tests.Sales;

public sealed class GroupBuyTests
{
    private static readonly DateTimeOffset Friday20 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly GroupBuyTerms Playbook = new([new(2, 90m), new(3, 85m), new(5, 75m)], 2, Friday20, Friday20.AddHours(24));

    [Theory]
    [InlineData(0, 90, 2)]
    [InlineData(1, 90, 2)]
    [InlineData(2, 90, 3)]
    [InlineData(3, 85, 5)]
    [InlineData(4, 85, 5)]
    [InlineData(5, 75, null)]
    [InlineData(50, 75, null)]
    public void ThePriceFalls_AtEachTierBoundary(int participants, int price, int? nextTierAt)
    {
        var groupBuy = new GroupBuy(Guid.NewGuid(), Guid.NewGuid(), "CNY", Playbook, Friday20);

        Assert.Equal(price, groupBuy.PriceFor(participants));
        Assert.Equal(nextTierAt, groupBuy.NextTierAfter(participants)?.Participants);
    }

    [Fact]
    public void Settle_DecidesOnce_AndNotBeforeTheDeadline()
    {
        var groupBuy = new GroupBuy(Guid.NewGuid(), Guid.NewGuid(), "CNY", Playbook, Friday20);

        Assert.False(groupBuy.Settle(4, Friday20.AddHours(23)));
        Assert.True(groupBuy.Settle(4, Friday20.AddHours(24)));
        Assert.False(groupBuy.Settle(9, Friday20.AddHours(25)));
        Assert.Equal((GroupBuyState.Succeeded, 85m, 4), (groupBuy.StateAt(Friday20.AddDays(2)), groupBuy.FinalPrice, groupBuy.FinalParticipants));
    }

    [Fact]
    public void BelowTheMinimum_ItFails_WithoutAPrice()
    {
        var groupBuy = new GroupBuy(Guid.NewGuid(), Guid.NewGuid(), "CNY", Playbook, Friday20);

        groupBuy.Settle(1, Friday20.AddDays(1));

        Assert.Equal((GroupBuyState.Failed, (decimal?)null), (groupBuy.StateAt(Friday20.AddDays(2)), groupBuy.FinalPrice));
    }

    [Fact]
    public void Terms_ListEveryProblem()
    {
        var terms = new GroupBuyTerms([new(3, 0m), new(3, 95m)], 1, Friday20, Friday20.AddDays(20));

        var codes = terms.Check(Friday20).Select(e => e.Code).ToList();

        Assert.Equivalent(new[] { "price_not_positive", "tiers_out_of_order", "prices_not_falling", "minimum_below_first_tier", "too_long" }, codes);
    }
}
