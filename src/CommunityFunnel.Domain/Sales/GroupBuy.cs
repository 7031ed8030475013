namespace CommunityFunnel.Domain.Sales;

/// <summary>
/// A ladder group-buy: the more people join, the less each portion costs. At the deadline it is settled once: every
/// order moves to the final tier's price, or, below the minimum, every order is voided.
/// </summary>
public sealed class GroupBuy
{
    private GroupBuy()
    {
    }

    public GroupBuy(Guid groupId, Guid productId, string currency, GroupBuyTerms terms, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        GroupId = groupId;
        ProductId = productId;
        Currency = currency;
        Tiers = [.. terms.Tiers];
        MinParticipants = terms.MinParticipants;
        OpensAt = terms.OpensAt;
        ClosesAt = terms.ClosesAt;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid GroupId { get; private set; }
    public Guid ProductId { get; private set; }
    public string Currency { get; private set; } = "";
    public List<GroupBuyTier> Tiers { get; private set; } = [];
    public int MinParticipants { get; private set; }
    public DateTimeOffset OpensAt { get; private set; }
    public DateTimeOffset ClosesAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SettledAt { get; private set; }
    public bool? Succeeded { get; private set; }
    public decimal? FinalPrice { get; private set; }
    public int? FinalParticipants { get; private set; }

    public GroupBuyState StateAt(DateTimeOffset now) =>
        Succeeded switch
        {
            true => GroupBuyState.Succeeded,
            false => GroupBuyState.Failed,
            null when now < OpensAt => GroupBuyState.Upcoming,
            null when now < ClosesAt => GroupBuyState.Open,
            _ => GroupBuyState.Closing,
        };

    public bool IsOpenAt(DateTimeOffset now) => StateAt(now) == GroupBuyState.Open;

    /// <summary>The tier reached with <paramref name="participants"/> people, or null below the first tier.</summary>
    public GroupBuyTier? TierFor(int participants) => Tiers.LastOrDefault(t => t.Participants <= participants);

    /// <summary>The next tier up, or null at the top.</summary>
    public GroupBuyTier? NextTierAfter(int participants) => Tiers.FirstOrDefault(t => t.Participants > participants);

    /// <summary>What a portion costs now: the tier reached, or the first tier's price until it is reached.</summary>
    public decimal PriceFor(int participants) => (TierFor(participants) ?? Tiers[0]).Price;

    /// <summary>Decides the outcome once; returns false if it was already settled or is not yet due.</summary>
    public bool Settle(int participants, DateTimeOffset at)
    {
        if (SettledAt is not null || at < ClosesAt)
        {
            return false;
        }

        SettledAt = at;
        FinalParticipants = participants;
        Succeeded = participants >= MinParticipants;
        FinalPrice = Succeeded.Value ? TierFor(participants)!.Price : null;
        return true;
    }
}
