using CommunityFunnel.Application.Sales;
using CommunityFunnel.Application.SignIn;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;

namespace CommunityFunnel.Application.Portal;

public sealed record JoinInput(string? DisplayName, string? Phone, bool Consent, string? ReferralCode);

/// <summary>A join went through (<see cref="MemberId"/>), or waits for the code sent to the registered phone (<see cref="CodeSent"/>).</summary>
public sealed record JoinResult(Guid? MemberId, CodeSent? CodeSent);

/// <summary>What the public join page shows: which group, its rules, who invited the visitor, whether it has room, and the country phones are read in.</summary>
public sealed record JoinInfo(Guid GroupId, string GroupName, string Language, IReadOnlyList<string> Rules, Referrer? Referrer, bool IsFull, string HostContact, string? Country);

public sealed record Referrer(Guid MemberId, string Name);

/// <summary>The group a member page belongs to, as the sign-in page leading back to it shows it.</summary>
public sealed record PageGroup(string Name, string Language, ChatPlatform Platform, string? Country);

public sealed record MemberHome(
    Guid MemberId,
    string DisplayName,
    FunnelStage Stage,
    string ReferralCode,
    int PeopleReferred,
    IReadOnlyList<MemberGroup> Groups,
    IReadOnlyList<FlashSaleView> FlashSales,
    IReadOnlyList<GroupBuyView> GroupBuys,
    IReadOnlyList<MemberOrder> Orders);

public sealed record MemberGroup(Guid Id, string Name, string JoinCode, string Language, string TimeZoneId, string? Country);

/// <param name="RefundedAmount">What has been given back so far (the whole total once the order is refunded).</param>
public sealed record MemberOrder(Guid Id, Guid GroupId, string ProductName, int Quantity, decimal UnitPrice, string Currency, OrderStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset? PaymentDueAt, Guid? FlashSaleId, Guid? GroupBuyId, decimal RefundedAmount);

/// <summary>A flash sale as one member sees it: how many units they already hold, and whether they may buy at all.</summary>
public sealed record MemberFlashSale(FlashSaleView Sale, int Held, bool StageAllows);

public sealed record MemberGroupBuy(GroupBuyView GroupBuy, MemberOrder? Mine);

/// <summary>The live part of a flash-sale page, polled by phones every few seconds.</summary>
public sealed record FlashSaleStock(int Remaining, string State, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>What a new member session starts with: its pages' language and the member's session stamp.</summary>
public sealed record MemberSessionStart(string Language, Guid Stamp);

/// <summary>The group a sale page belongs to: the join form on the page needs its code, and money and phones its country.</summary>
public sealed record OfferGroup(Guid Id, string JoinCode, string Language, string? Country);

/// <summary>What the page shows of the product: its usual price (a saving is shown against it), its description and pictures (cover first).</summary>
public sealed record OfferProduct(decimal ListPrice, string Currency, string Description, IReadOnlyList<string> PictureUrls)
{
    /// <summary>What one unit saves against the usual price, or null when the sale is not cheaper (or priced in another currency).</summary>
    public decimal? SavingAt(decimal price, string currency) => currency == Currency && price < ListPrice ? ListPrice - price : null;
}

public sealed record FlashSaleOffer(FlashSaleView Sale, OfferProduct Product, OfferGroup Group);

public sealed record GroupBuyOffer(GroupBuyView GroupBuy, OfferProduct Product, OfferGroup Group);

/// <summary>One of a member's orders, as its page shows it.</summary>
/// <param name="AwaitsGroupBuyClose">A group-buy order before the close: its final price, and so its payment, come then.</param>
/// <param name="RefundedAmount">What has been given back so far.</param>
/// <param name="Refunds">Each refund, oldest first (refunds made before they were kept one by one are only in the amount).</param>
public sealed record MemberOrderDetails(
    Guid Id,
    Guid GroupId,
    string GroupName,
    string GroupTimeZone,
    string? Country,
    string ProductName,
    int Quantity,
    decimal UnitPrice,
    string Currency,
    OrderStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PaymentDueAt,
    DateTimeOffset? PaymentReportedAt,
    Guid? FlashSaleId,
    Guid? GroupBuyId,
    bool AwaitsGroupBuyClose,
    decimal RefundedAmount,
    IReadOnlyList<MemberRefund> Refunds)
{
    public decimal Total => UnitPrice * Quantity;

    public string PaymentReference => PaymentReferences.For(Id);

    /// <summary>Unpaid, at its final price, and not yet reported: the page offers the payment instructions and "I have paid".</summary>
    public bool AwaitsPayment => Status == OrderStatus.Pending && !AwaitsGroupBuyClose && PaymentReportedAt is null;
}

/// <summary>One refund of a member's order: money given back, and units taken back (0 for a refund by amount).</summary>
public sealed record MemberRefund(decimal Amount, int Quantity, DateTimeOffset At);
