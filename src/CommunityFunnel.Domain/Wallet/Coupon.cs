namespace CommunityFunnel.Domain.Wallet;

/// <summary>A member's coupon: an amount off one order of at least <see cref="MinOrder"/>, until it expires; used once.</summary>
public sealed class Coupon
{
    private Coupon()
    {
    }

    private Coupon(Guid memberId, string currency, decimal amountOff, decimal? minOrder, DateTimeOffset expiresAt, Guid sourceId, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        MemberId = memberId;
        Currency = currency;
        AmountOff = amountOff;
        MinOrder = minOrder;
        ExpiresAt = expiresAt;
        SourceId = sourceId;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public string Currency { get; private set; } = "";
    public decimal AmountOff { get; private set; }
    public decimal? MinOrder { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>What gave it: the red-envelope wave whose packet it is.</summary>
    public Guid SourceId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>A packet paid out as a coupon worth its amount, valid for <paramref name="validDays"/> from the claim.</summary>
    public static Coupon FromRain(Guid memberId, string currency, decimal amountOff, decimal? minOrder, int validDays, Guid waveId, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountOff);
        return new Coupon(memberId, currency, amountOff, minOrder, at.AddDays(validDays), waveId, at);
    }
}
