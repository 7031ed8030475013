using CommunityFunnel.Domain.Orders;

namespace CommunityFunnel.Application.Today;

/// <summary>What needs an operator now, across the groups they run.</summary>
/// <param name="ToConfirm">Orders whose member says they paid: the host checks the money arrived and confirms.</param>
/// <param name="AwaitingPayment">Claims and settled group-buy orders not paid yet, soonest deadline first.</param>
/// <param name="Sales">Sales live now, then the next to start.</param>
/// <param name="PostsDue">Posts due in the next 24 hours.</param>
/// <param name="ToSend">Posts waiting for the operator to paste them by hand.</param>
public sealed record TodayView(
    IReadOnlyList<UnpaidOrder> ToConfirm,
    IReadOnlyList<UnpaidOrder> AwaitingPayment,
    IReadOnlyList<SaleNow> Sales,
    IReadOnlyList<PostDue> PostsDue,
    int ToSend)
{
    public TodayCounts Counts => new(ToConfirm.Count, AwaitingPayment.Count, Sales.Count(s => s.IsLive), PostsDue.Count, ToSend);
}

public sealed record MenuBadges(int ToConfirm, int ToSend);

public sealed record TodayCounts(int ToConfirm, int AwaitingPayment, int LiveSales, int PostsDue, int ToSend);

public sealed record UnpaidOrder(
    Guid OrderId,
    Guid GroupId,
    string GroupName,
    string TimeZoneId,
    Guid MemberId,
    string MemberName,
    string ProductName,
    int Quantity,
    decimal Total,
    string Currency,
    DateTimeOffset? PaymentDueAt,
    DateTimeOffset? PaymentReportedAt)
{
    public string PaymentReference => PaymentReferences.For(OrderId);
}

public enum SaleKind
{
    FlashSale,
    GroupBuy,
}

/// <param name="Remaining">Units left (flash sales).</param>
/// <param name="Participants">People in so far (group-buys).</param>
public sealed record SaleNow(
    SaleKind Kind,
    Guid Id,
    Guid GroupId,
    string GroupName,
    string TimeZoneId,
    string ProductName,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    bool IsLive,
    int? Remaining,
    int? Stock,
    int? Participants);

public sealed record PostDue(Guid PostId, Guid AnnouncementId, Guid GroupId, string GroupName, string TimeZoneId, DateTimeOffset DueAt, string Text);
