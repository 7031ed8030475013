namespace CommunityFunnel.Domain.Wallet;

public enum CreditEntryKind
{
    /// <summary>A red-envelope packet paid out as credit; its source is the wave.</summary>
    RainPacket,
}

/// <summary>
/// One line of a member's store-credit ledger in one currency: never edited or deleted, only added, so a balance is the
/// sum of its entries. Each (kind, source, member) is written once: one packet per member per wave, whatever retries.
/// A claim writes its entry in the same statement as it takes the packet (RedEnvelopes/Sql/claim_packet.sql).
/// </summary>
public sealed class CreditEntry
{
    private CreditEntry()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The ledger's own order of writing, assigned by the database.</summary>
    public long Sequence { get; private set; }
    public Guid MemberId { get; private set; }
    public string Currency { get; private set; } = "";

    /// <summary>Positive when credit comes in, negative when it is spent.</summary>
    public decimal Amount { get; private set; }
    public CreditEntryKind Kind { get; private set; }
    public Guid SourceId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

}
