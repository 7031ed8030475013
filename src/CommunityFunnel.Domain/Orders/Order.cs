using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Orders;

/// <summary>
/// One purchase by one member in one group. Pending -> Paid -> Refunded, or Pending -> Cancelled. The tier is copied
/// from the product when the order is placed, so later product edits never rewrite a member's history. A paid order
/// may be refunded in parts (by amount or by units); it stays Paid until everything paid has been refunded.
/// </summary>
public sealed class Order : EventSource
{
    public const int MaxQuantity = 999;

    private readonly List<OrderRefund> _refunds = [];

    private Order()
    {
    }

    public Order(Guid memberId, Guid groupId, Guid productId, FunnelStage tier, int quantity, decimal unitPrice, string currency, DateTimeOffset createdAt)
        : this(memberId, groupId, productId, tier, quantity, unitPrice, currency, createdAt, isGift: false)
    {
    }

    private Order(Guid memberId, Guid groupId, Guid productId, FunnelStage tier, int quantity, decimal unitPrice, string currency, DateTimeOffset createdAt, bool isGift)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, MaxQuantity);
        if (!isGift)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unitPrice);
        }

        Id = Guid.CreateVersion7(createdAt);
        MemberId = memberId;
        GroupId = groupId;
        ProductId = productId;
        Tier = tier;
        Quantity = quantity;
        UnitPrice = unitPrice;
        Currency = currency;
        CreatedAt = createdAt;
        Status = OrderStatus.Pending;
    }

    /// <summary>
    /// A gift pack: one unit at no charge, given (<see cref="OrderStatus.Gifted"/>) at once. <paramref name="referralId"/>
    /// names the referral it rewards; the database lets each member have one gift per referral.
    /// </summary>
    public static Order Gift(Guid memberId, Guid groupId, Guid productId, FunnelStage tier, string currency, Guid referralId, DateTimeOffset at) =>
        new(memberId, groupId, productId, tier, 1, 0m, currency, at, isGift: true) { Status = OrderStatus.Gifted, GiftForReferralId = referralId, PaidAt = at };

    /// <summary>A group-buy participation: priced at the tier reached so far; settlement sets the final price.</summary>
    public static Order ForGroupBuy(Guid memberId, GroupBuySource source, int quantity, decimal unitPrice, DateTimeOffset createdAt) =>
        new(memberId, source.GroupId, source.ProductId, source.Tier, quantity, unitPrice, source.Currency, createdAt) { GroupBuyId = source.GroupBuyId };

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public Guid GroupId { get; private set; }
    public Guid ProductId { get; private set; }
    public FunnelStage Tier { get; private set; }
    public int Quantity { get; private set; }
    public decimal UnitPrice { get; private set; }
    public string Currency { get; private set; } = "";
    public OrderStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public DateTimeOffset? RefundedAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }

    /// <summary>Set on flash-sale orders: unpaid by then, the reservation expires and its units go back on sale.</summary>
    public DateTimeOffset? PaymentDueAt { get; private set; }
    public Guid? FlashSaleId { get; private set; }
    public Guid? GroupBuyId { get; private set; }

    /// <summary>For a gift pack: the referral it rewards (the newcomer's own, or the one they brought).</summary>
    public Guid? GiftForReferralId { get; private set; }

    /// <summary>When the member said they had paid: the order waits for the operator to confirm, and is no longer expired.</summary>
    public DateTimeOffset? PaymentReportedAt { get; private set; }

    /// <summary>The client's key for a flash-sale claim: a retried claim finds this order instead of reserving again.</summary>
    public string? IdempotencyKey { get; private set; }
    public uint Version { get; private set; }

    /// <summary>What has been given back so far, in money and (for refunds by units) in units.</summary>
    public decimal RefundedAmount { get; private set; }
    public int RefundedQuantity { get; private set; }

    /// <summary>The refunds as they happened; only new ones are written (the list is not loaded with the order).</summary>
    public IReadOnlyList<OrderRefund> Refunds => _refunds;

    public decimal Total => UnitPrice * Quantity;

    public decimal RefundableAmount => Status == OrderStatus.Paid ? Total - RefundedAmount : 0;

    public int RefundableQuantity => Status == OrderStatus.Paid ? Quantity - RefundedQuantity : 0;

    /// <summary>Units a refund by units may still take back: no more than are left, nor than the money left pays back.</summary>
    public int RefundableUnits => UnitsRefundable(RefundableQuantity, RefundableAmount, UnitPrice);

    public static int UnitsRefundable(int unitsLeft, decimal amountLeft, decimal unitPrice) =>
        unitsLeft == 0 ? 0 : Math.Min(unitsLeft, (int)decimal.Floor(amountLeft / unitPrice));

    /// <summary>What the member writes with their transfer, so the host can match money to order: the id's last, random, 8 digits.</summary>
    public string PaymentReference => PaymentReferences.For(Id);

    /// <summary>
    /// The member says they paid (online payment comes later, so the host confirms by hand). Only an unpaid order whose
    /// price is final can be reported: a group-buy order's price is set at its close.
    /// </summary>
    public OrderChangeOutcome ReportPaid(DateTimeOffset at, bool priceIsFinal) => (Status, PaymentReportedAt) switch
    {
        (OrderStatus.Pending, not null) or (OrderStatus.Paid, _) => OrderChangeOutcome.AlreadyDone,
        (OrderStatus.Pending, null) when priceIsFinal => Stamp(() => PaymentReportedAt = at),
        _ => OrderChangeOutcome.NotAllowed,
    };

    public OrderChangeOutcome MarkPaid(DateTimeOffset at)
    {
        if (Status != OrderStatus.Pending)
        {
            return Status == OrderStatus.Paid ? OrderChangeOutcome.AlreadyDone : OrderChangeOutcome.NotAllowed;
        }

        Status = OrderStatus.Paid;
        PaidAt = at;
        Raise(new OrderPaid(Id, MemberId, GroupId, ProductId, Tier, Total, Currency, FlashSaleId, at));
        return OrderChangeOutcome.Changed;
    }

    /// <summary>Refunds everything not refunded yet. Refunding a refunded order again changes nothing.</summary>
    public OrderChangeOutcome Refund(DateTimeOffset at, RefundOrigin? origin = null) => Status switch
    {
        OrderStatus.Refunded => OrderChangeOutcome.AlreadyDone,
        OrderStatus.Paid => RecordRefund(RefundableAmount, RefundableQuantity, RefundBasis.Remainder, at, origin),
        _ => OrderChangeOutcome.NotAllowed,
    };

    /// <summary>Gives back part of the money (at most <see cref="RefundableAmount"/>, whole cents).</summary>
    public OrderChangeOutcome RefundAmount(decimal amount, DateTimeOffset at, RefundOrigin? origin = null)
    {
        if (Status != OrderStatus.Paid)
        {
            return OrderChangeOutcome.NotAllowed;
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(amount, RefundableAmount);
        return RecordRefund(amount, units: 0, RefundBasis.Amount, at, origin);
    }

    /// <summary>Takes back some units at the price paid for them (at most <see cref="RefundableQuantity"/>).</summary>
    public OrderChangeOutcome RefundUnits(int quantity, DateTimeOffset at, RefundOrigin? origin = null)
    {
        if (Status != OrderStatus.Paid)
        {
            return OrderChangeOutcome.NotAllowed;
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, RefundableUnits);
        return RecordRefund(UnitPrice * quantity, quantity, RefundBasis.Units, at, origin);
    }

    public OrderChangeOutcome Cancel(DateTimeOffset at) => Status switch
    {
        OrderStatus.Cancelled => OrderChangeOutcome.AlreadyDone,
        OrderStatus.Pending => Set(OrderStatus.Cancelled, () => CancelledAt = at),
        _ => OrderChangeOutcome.NotAllowed,
    };

    /// <summary>Settlement of a successful group-buy: the final tier's price, never more than the price at joining.</summary>
    public bool SettleAt(decimal finalUnitPrice)
    {
        if (Status != OrderStatus.Pending || finalUnitPrice >= UnitPrice)
        {
            return false;
        }

        UnitPrice = finalUnitPrice;
        return true;
    }

    /// <summary>Settlement of a group-buy that did not reach its minimum.</summary>
    public bool Void(DateTimeOffset at)
    {
        if (Status != OrderStatus.Pending)
        {
            return false;
        }

        Status = OrderStatus.Voided;
        CancelledAt = at;
        return true;
    }

    private OrderChangeOutcome RecordRefund(decimal amount, int units, RefundBasis basis, DateTimeOffset at, RefundOrigin? origin)
    {
        var refund = new OrderRefund(Id, amount, units, basis, at, origin);
        _refunds.Add(refund);
        RefundedAmount += amount;
        RefundedQuantity += units;
        var isFull = RefundedAmount == Total;
        if (isFull)
        {
            Status = OrderStatus.Refunded;
            RefundedAt = at;
        }

        Raise(new OrderRefunded(Id, refund.Id, MemberId, GroupId, amount, RefundedAmount, Total, Currency, isFull, at));
        return OrderChangeOutcome.Changed;
    }

    private OrderChangeOutcome Set(OrderStatus status, Action stamp)
    {
        Status = status;
        return Stamp(stamp);
    }

    private static OrderChangeOutcome Stamp(Action stamp)
    {
        stamp();
        return OrderChangeOutcome.Changed;
    }
}
