using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Rebates;

namespace CommunityFunnel.Domain.Payouts;

/// <summary>What marking a batch paid did, and the ledger entries to save with it (none unless it changed).</summary>
public sealed record PayoutPayment(PayoutChangeOutcome Outcome, IReadOnlyList<RebateEntry> LedgerEntries);

/// <summary>
/// A batch of partner payouts in one currency: every partner whose available rebate balance reached the minimum when it
/// was made, each at that balance. Draft -> Paid (one ledger entry per included item, written with the change) or
/// Draft -> Cancelled; items may be held back, with a reason, while it is a draft. Held-back items are not paid.
/// </summary>
public sealed class Payout : EventSource
{
    public const int MaxActorLength = 256;

    private readonly List<PayoutItem> _items = [];

    private Payout()
    {
    }

    public Payout(string currency, decimal minimum, IEnumerable<(Guid MemberId, decimal Available)> partners, DateTimeOffset createdAt, string createdBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimum);
        Id = Guid.CreateVersion7(createdAt);
        Currency = currency;
        Minimum = minimum;
        Status = PayoutStatus.Draft;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
        foreach (var (memberId, available) in partners)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(available, minimum);
            if (_items.Exists(i => i.MemberId == memberId))
            {
                throw new ArgumentException($"Member {memberId} appears twice in the batch.", nameof(partners));
            }

            _items.Add(new PayoutItem(Id, memberId, currency, available, createdAt));
        }

        if (_items.Count == 0)
        {
            throw new ArgumentException("A payout batch pays at least one partner.", nameof(partners));
        }
    }

    public Guid Id { get; private set; }
    public string Currency { get; private set; } = "";
    public decimal Minimum { get; private set; }
    public PayoutStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset? PaidAt { get; private set; }
    public string? PaidBy { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public uint Version { get; private set; }
    public IReadOnlyList<PayoutItem> Items => _items;

    /// <summary>What the batch pays: the included items.</summary>
    public decimal Total => _items.Where(i => i.Status == PayoutItemStatus.Included).Sum(i => i.Amount);

    public PayoutItem? ItemOf(Guid memberId) => _items.Find(i => i.MemberId == memberId);

    public PayoutChangeOutcome HoldBack(Guid memberId, string reason) =>
        Status == PayoutStatus.Draft ? Item(memberId).HoldBack(reason) : PayoutChangeOutcome.NotAllowed;

    public PayoutChangeOutcome Include(Guid memberId) =>
        Status == PayoutStatus.Draft ? Item(memberId).Include() : PayoutChangeOutcome.NotAllowed;

    /// <summary>
    /// The transfers were made: one <see cref="RebateEntryKind.PaidOut"/> entry and one <see cref="PayoutPaid"/> per included
    /// item, and every member is free for the next batch. Marking a paid batch paid again changes nothing.
    /// </summary>
    public PayoutPayment MarkPaid(DateTimeOffset at, string paidBy)
    {
        if (Status != PayoutStatus.Draft)
        {
            return new(Status == PayoutStatus.Paid ? PayoutChangeOutcome.AlreadyDone : PayoutChangeOutcome.NotAllowed, []);
        }

        var included = _items.Where(i => i.Status == PayoutItemStatus.Included).ToList();
        if (included.Count == 0)
        {
            return new(PayoutChangeOutcome.NothingIncluded, []);
        }

        (Status, PaidAt, PaidBy) = (PayoutStatus.Paid, at, paidBy);
        _items.ForEach(i => i.Close());
        var entries = new List<RebateEntry>(included.Count);
        foreach (var item in included)
        {
            entries.Add(RebateEntry.PayOut(item.MemberId, Currency, item.Id, item.Amount, at));
            Raise(new PayoutPaid(Id, item.MemberId, item.Amount, Currency, item.Reference, at));
        }

        return new(PayoutChangeOutcome.Changed, entries);
    }

    /// <summary>Drops a draft: nothing is paid and its members may be in the next batch.</summary>
    public PayoutChangeOutcome Cancel(DateTimeOffset at)
    {
        if (Status != PayoutStatus.Draft)
        {
            return Status == PayoutStatus.Cancelled ? PayoutChangeOutcome.AlreadyDone : PayoutChangeOutcome.NotAllowed;
        }

        (Status, CancelledAt) = (PayoutStatus.Cancelled, at);
        _items.ForEach(i => i.Close());
        return PayoutChangeOutcome.Changed;
    }

    private PayoutItem Item(Guid memberId) =>
        ItemOf(memberId) ?? throw new ArgumentException($"Member {memberId} is not in payout {Id}.", nameof(memberId));
}
