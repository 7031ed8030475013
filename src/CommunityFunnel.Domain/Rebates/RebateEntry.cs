using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Rebates;

public sealed record RebateCredited(Guid EntryId, Guid MemberId, Guid OrderId, Guid BuyerId, int Level, decimal Amount, string Currency,
    DateTimeOffset? AvailableAt, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record RebateClawedBack(Guid EntryId, Guid MemberId, Guid OrderId, Guid RefundId, int Level, decimal Amount, string Currency,
    RebateEntryKind Kind, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>
/// One line of a member's rebate ledger: never edited or deleted, only added. It moves the pending, available and
/// paid-out balances by its three deltas, which its kind fixes (the database checks the shape); each (kind, source,
/// member, level) is written once, so a retried or concurrent payment credits once. <see cref="SourceId"/> is the order
/// for <see cref="RebateEntryKind.Earned"/>, <see cref="RebateEntryKind.Released"/> and review decisions, the refund
/// for clawbacks, and the payout item for <see cref="RebateEntryKind.PaidOut"/>.
/// </summary>
public sealed class RebateEntry : EventSource
{
    private RebateEntry()
    {
    }

    private RebateEntry(RebateEntryKind kind, Guid memberId, string currency, int level, Guid? orderId, Guid sourceId,
        decimal pending, decimal available, decimal paidOut, DateTimeOffset createdAt, DateTimeOffset? availableAt, Guid? buyerId)
    {
        Id = Guid.CreateVersion7(createdAt);
        Kind = kind;
        MemberId = memberId;
        Currency = currency;
        Level = level;
        OrderId = orderId;
        SourceId = sourceId;
        PendingDelta = pending;
        AvailableDelta = available;
        PaidOutDelta = paidOut;
        CreatedAt = createdAt;
        AvailableAt = availableAt;
        BuyerId = buyerId;
    }

    public Guid Id { get; private set; }

    /// <summary>The ledger's own order of writing, assigned by the database.</summary>
    public long Sequence { get; private set; }
    public RebateEntryKind Kind { get; private set; }
    public Guid MemberId { get; private set; }
    public string Currency { get; private set; } = "";

    /// <summary>1 for the buyer's referrer, 2 for the referrer's referrer; 0 for payouts.</summary>
    public int Level { get; private set; }
    public Guid? OrderId { get; private set; }
    public Guid SourceId { get; private set; }

    /// <summary>The member whose order earned it.</summary>
    public Guid? BuyerId { get; private set; }
    public decimal PendingDelta { get; private set; }
    public decimal AvailableDelta { get; private set; }
    public decimal PaidOutDelta { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>For an earned entry: when the hold ends; null while its referral waits for review.</summary>
    public DateTimeOffset? AvailableAt { get; private set; }

    /// <summary>The entry's own amount as people read it: what it earned, moved, took back or paid out.</summary>
    public decimal Amount => Kind switch
    {
        RebateEntryKind.Earned or RebateEntryKind.Voided => PendingDelta,
        RebateEntryKind.Released or RebateEntryKind.ClawedBack => AvailableDelta,
        _ => PaidOutDelta,
    };

    public static RebateEntry Earn(Guid memberId, string currency, int level, Guid orderId, Guid buyerId, decimal amount, DateTimeOffset at, DateTimeOffset? availableAt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        var entry = new RebateEntry(RebateEntryKind.Earned, memberId, currency, level, orderId, orderId, amount, 0, 0, at, availableAt, buyerId);
        entry.Raise(new RebateCredited(entry.Id, memberId, orderId, buyerId, level, amount, currency, availableAt, at));
        return entry;
    }

    public static RebateEntry Void(RebateEntry earned, Guid sourceId, decimal amount, DateTimeOffset at) =>
        TakeBack(RebateEntryKind.Voided, earned, sourceId, amount, at);

    public static RebateEntry ClawBack(RebateEntry earned, Guid sourceId, decimal amount, DateTimeOffset at) =>
        TakeBack(RebateEntryKind.ClawedBack, earned, sourceId, amount, at);

    public static RebateEntry PayOut(Guid memberId, string currency, Guid payoutItemId, decimal amount, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        return new RebateEntry(RebateEntryKind.PaidOut, memberId, currency, 0, null, payoutItemId, 0, -amount, amount, at, null, null);
    }

    private static RebateEntry TakeBack(RebateEntryKind kind, RebateEntry earned, Guid sourceId, decimal amount, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        var fromPending = kind == RebateEntryKind.Voided;
        var entry = new RebateEntry(kind, earned.MemberId, earned.Currency, earned.Level, earned.OrderId, sourceId,
            fromPending ? -amount : 0, fromPending ? 0 : -amount, 0, at, null, earned.BuyerId);
        entry.Raise(new RebateClawedBack(entry.Id, earned.MemberId, earned.OrderId!.Value, sourceId, earned.Level, amount, earned.Currency, kind, at));
        return entry;
    }
}
