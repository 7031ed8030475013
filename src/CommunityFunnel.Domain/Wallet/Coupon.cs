namespace CommunityFunnel.Domain.Wallet;

/// <summary>
/// A member's coupon: an amount off one order of at least <see cref="MinOrder"/>, until it expires; used once. A claim
/// writes a packet's coupon in the same statement as it takes the packet (RedEnvelopes/Sql/claim_packet.sql).
/// </summary>
public sealed class Coupon
{
    private Coupon()
    {
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

}
