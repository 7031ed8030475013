namespace CommunityFunnel.Domain.RedEnvelopes;

public enum WaveState
{
    Upcoming,
    Open,
    AllClaimed,
    Over,
}

/// <summary>One wave of a rain in one group: its packets, split when the rain was saved, are claimed from <see cref="OpensAt"/> to the rain's end.</summary>
public sealed class RedEnvelopeWave
{
    private RedEnvelopeWave()
    {
    }

    public RedEnvelopeWave(RedEnvelopeRain rain, Guid groupId, string currency, WaveTerms terms, IReadOnlyList<decimal> amounts)
    {
        Id = Guid.CreateVersion7(rain.CreatedAt);
        RainId = rain.Id;
        GroupId = groupId;
        Currency = currency;
        OffsetMinutes = terms.OffsetMinutes;
        OpensAt = rain.StartsAt.AddMinutes(terms.OffsetMinutes);
        ClosesAt = rain.EndsAt;
        Budget = terms.Budget;
        PacketCount = terms.Packets;
        Packets = [.. amounts.Select((amount, i) => new RedEnvelopePacket(Id, i + 1, amount))];
    }

    public Guid Id { get; private set; }
    public Guid RainId { get; private set; }
    public Guid GroupId { get; private set; }
    public string Currency { get; private set; } = "";
    public int OffsetMinutes { get; private set; }
    public DateTimeOffset OpensAt { get; private set; }
    public DateTimeOffset ClosesAt { get; private set; }
    public decimal Budget { get; private set; }
    public int PacketCount { get; private set; }
    public List<RedEnvelopePacket> Packets { get; private set; } = [];

    public static WaveState StateAt(DateTimeOffset now, DateTimeOffset opensAt, DateTimeOffset closesAt, int packets, int claimed) =>
        now < opensAt ? WaveState.Upcoming
        : claimed >= packets ? WaveState.AllClaimed
        : now >= closesAt ? WaveState.Over
        : WaveState.Open;
}

/// <summary>A packet of a wave: its amount is fixed when the rain is saved; a member claims it once, and one per wave.</summary>
public sealed class RedEnvelopePacket
{
    private RedEnvelopePacket()
    {
    }

    public RedEnvelopePacket(Guid waveId, int position, decimal amount)
    {
        WaveId = waveId;
        Position = position;
        Amount = amount;
    }

    public Guid WaveId { get; private set; }
    public int Position { get; private set; }
    public decimal Amount { get; private set; }
    public Guid? ClaimedBy { get; private set; }
    public DateTimeOffset? ClaimedAt { get; private set; }
}
