namespace CommunityFunnel.Domain.Payouts;

/// <summary>
/// One partner's line in a payout batch: the amount is their available balance when the batch was made, fixed from then
/// on, so the exported file, the transfer and the ledger entry agree. It changes only through its <see cref="Payout"/>.
/// </summary>
public sealed class PayoutItem
{
    public const int MaxHoldReasonLength = 200;

    private PayoutItem()
    {
    }

    internal PayoutItem(Guid payoutId, Guid memberId, string currency, decimal amount, DateTimeOffset createdAt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        Id = Guid.CreateVersion7(createdAt);
        PayoutId = payoutId;
        MemberId = memberId;
        Currency = currency;
        Amount = amount;
        Reference = PayoutReferences.For(Id);
        Status = PayoutItemStatus.Included;
        IsOpen = true;
    }

    public Guid Id { get; private set; }
    public Guid PayoutId { get; private set; }
    public Guid MemberId { get; private set; }
    public string Currency { get; private set; } = "";
    public decimal Amount { get; private set; }
    public string Reference { get; private set; } = "";
    public PayoutItemStatus Status { get; private set; }
    public string? HoldReason { get; private set; }

    /// <summary>True while the batch is a draft: a member has at most one open item per currency, so nobody is paid twice.</summary>
    public bool IsOpen { get; private set; }
    public uint Version { get; private set; }

    internal PayoutChangeOutcome HoldBack(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reason.Length, MaxHoldReasonLength);
        if (Status == PayoutItemStatus.HeldBack && HoldReason == reason)
        {
            return PayoutChangeOutcome.AlreadyDone;
        }

        (Status, HoldReason) = (PayoutItemStatus.HeldBack, reason);
        return PayoutChangeOutcome.Changed;
    }

    internal PayoutChangeOutcome Include()
    {
        if (Status == PayoutItemStatus.Included)
        {
            return PayoutChangeOutcome.AlreadyDone;
        }

        (Status, HoldReason) = (PayoutItemStatus.Included, null);
        return PayoutChangeOutcome.Changed;
    }

    internal void Close() => IsOpen = false;
}
