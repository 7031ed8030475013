using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;

namespace CommunityFunnel.Application.Orders;

public sealed record OrderInput(Guid MemberId, Guid GroupId, Guid ProductId, int Quantity, decimal? UnitPrice);

/// <param name="AwaitsGroupBuyClose">A group-buy order before its group-buy settles: its final price, and so its payment, come at the close.</param>
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
    bool AwaitsGroupBuyClose);

/// <summary>Which orders a list shows; a null field does not filter.</summary>
public sealed record OrderFilter(Guid? GroupId = null, Guid? MemberId = null, OrderStatus? Status = null);
