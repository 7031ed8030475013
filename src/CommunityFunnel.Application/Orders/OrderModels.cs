using CommunityFunnel.Application.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;

namespace CommunityFunnel.Application.Orders;

public sealed record OrderInput(Guid MemberId, Guid GroupId, Guid ProductId, int Quantity, decimal? UnitPrice);

/// <param name="AwaitsGroupBuyClose">A group-buy order before its group-buy settles: its final price, and so its payment, come at the close.</param>
/// <param name="PaymentReportedAt">When the member pressed "I have paid": the order waits in the operator's to-confirm queue.</param>
/// <param name="RefundedAmount">What has been given back so far (a paid order may be refunded in parts).</param>
/// <param name="RefundedQuantity">Units taken back by refunds by units (and by the refund of everything left).</param>
/// <param name="Refunds">The refunds, oldest first.</param>
public sealed record OrderView(
    Guid Id,
    Guid MemberId,
    string MemberName,
    Guid GroupId,
    Guid ProductId,
    string ProductName,
    FunnelStage Tier,
    int Quantity,
    decimal UnitPrice,
    decimal Total,
    string Currency,
    OrderStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? RefundedAt,
    DateTimeOffset? CancelledAt,
    FunnelStage MemberStage,
    DateTimeOffset? PaymentDueAt,
    Guid? FlashSaleId,
    Guid? GroupBuyId,
    bool AwaitsGroupBuyClose,
    DateTimeOffset? PaymentReportedAt,
    decimal RefundedAmount,
    int RefundedQuantity,
    IReadOnlyList<OrderRefundView> Refunds)
{
    /// <summary>What the member writes with their transfer (<see cref="PaymentReferences"/>).</summary>
    public string PaymentReference => PaymentReferences.For(Id);

    /// <summary>What can still be given back: what was paid minus what was refunded, while the order is paid.</summary>
    public decimal RefundableAmount => Status == OrderStatus.Paid ? Total - RefundedAmount : 0;

    /// <summary>Units a refund by units may still take back (<see cref="Order.RefundableUnits"/>).</summary>
    public int RefundableUnits => Order.UnitsRefundable(Status == OrderStatus.Paid ? Quantity - RefundedQuantity : 0, RefundableAmount, UnitPrice);
}

/// <param name="RefundedBy">Who refunded; null for refunds recorded before that was kept.</param>
public sealed record OrderRefundView(Guid Id, decimal Amount, int Quantity, DateTimeOffset CreatedAt, string? RefundedBy);

/// <param name="Replayed">The request repeated an earlier one with the same Idempotency-Key: nothing more was refunded.</param>
public sealed record RefundReceipt(OrderView Order, bool Replayed);

/// <summary>What to refund: everything left (neither set), an amount, or a number of units at the price paid.</summary>
public sealed record RefundRequest(decimal? Amount = null, int? Quantity = null)
{
    public static RefundRequest Everything { get; } = new();

    /// <summary>Whether an earlier refund is what this request asks for, so that a retry with its key repeats it.</summary>
    public bool AskedFor(RefundBasis basis, decimal amount, int quantity) => this switch
    {
        { Amount: { } asked, Quantity: null } => basis == RefundBasis.Amount && amount == asked,
        { Amount: null, Quantity: { } asked } => basis == RefundBasis.Units && quantity == asked,
        { Amount: null, Quantity: null } => basis == RefundBasis.Remainder,
        _ => false,
    };
}

/// <summary>Which orders a list shows; a null field does not filter.</summary>
/// <param name="SaleId">A flash sale's or a group-buy's id.</param>
/// <param name="From">Placed at or after.</param>
/// <param name="Until">Placed before.</param>
/// <param name="Search">Part of the member's name or phone, or the order's payment reference.</param>
/// <param name="PaymentReported">Only orders the member says they paid, awaiting confirmation.</param>
public sealed record OrderFilter(
    Guid? GroupId = null,
    Guid? MemberId = null,
    OrderStatus? Status = null,
    Guid? SaleId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? Until = null,
    string? Search = null,
    bool PaymentReported = false);

/// <summary>One order of a bulk "mark paid": its new view, or why it was refused (the others go on).</summary>
public sealed record BulkPayment(Guid OrderId, OrderView? Order, Failure? Failure);
