using CommunityFunnel.Application.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;

namespace CommunityFunnel.Application.Orders;

public sealed record OrderInput(Guid MemberId, Guid GroupId, Guid ProductId, int Quantity, decimal? UnitPrice);

/// <param name="AwaitsGroupBuyClose">A group-buy order before its group-buy settles: its final price, and so its payment, come at the close.</param>
/// <param name="PaymentReportedAt">When the member pressed "I have paid": the order waits in the operator's to-confirm queue.</param>
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
    decimal RefundedAmount = 0)
{
    /// <summary>What the member writes with their transfer (<see cref="PaymentReferences"/>).</summary>
    public string PaymentReference => PaymentReferences.For(Id);
}

/// <summary>What to refund: everything left (neither set), an amount, or a number of units at the price paid.</summary>
public sealed record RefundRequest(decimal? Amount = null, int? Quantity = null)
{
    public static RefundRequest Everything { get; } = new();
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
