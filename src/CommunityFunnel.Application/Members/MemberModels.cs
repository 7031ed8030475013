using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;

namespace CommunityFunnel.Application.Members;

public sealed record MemberInput(
    string? DisplayName,
    string? Phone = null,
    string? ExternalId = null,
    IReadOnlyList<string>? Tags = null,
    string? Notes = null,
    Guid? ReferrerId = null,
    string? ReferrerCode = null);

/// <summary>Who the person is, the same in every group.</summary>
public sealed record MemberContact(string? DisplayName, string? Phone = null, string? ExternalId = null);

public sealed record MemberSaved(Guid Id, FunnelStage Stage, bool Created);

public enum MemberSort
{
    Name,
    Stage,
    JoinedAt,
}

public sealed record MemberQuery(
    string? Search = null,
    FunnelStage? Stage = null,
    MemberSort SortBy = MemberSort.JoinedAt,
    bool Descending = true,
    int PageIndex = 0,
    int PageSize = 25);

public sealed record MemberRow(Guid Id, string DisplayName, string? Phone, FunnelStage Stage, DateTimeOffset JoinedAt, IReadOnlyList<string> Tags);

/// <summary>One of the member's groups the reader runs, with the tags and notes kept there.</summary>
public sealed record MemberGroup(Guid GroupId, string Name, DateTimeOffset JoinedAt, IReadOnlyList<string> Tags, string Notes);

/// <summary>
/// How much and how high a member has paid: what an operator looks at before offering the next tier. Amounts are net of
/// partial refunds; fully refunded orders do not count.
/// </summary>
public sealed record WillingnessToPay(
    string? Currency,
    decimal TotalPaid,
    int PaidOrderCount,
    FunnelStage? HighestTierPaid,
    decimal AverageOrderValue,
    DateTimeOffset? LastPurchaseAt);

public sealed record MemberOrderRow(
    Guid Id,
    Guid GroupId,
    string ProductName,
    FunnelStage Tier,
    int Quantity,
    decimal UnitPrice,
    string Currency,
    OrderStatus Status,
    DateTimeOffset CreatedAt,
    bool AwaitsGroupBuyClose,
    decimal RefundedAmount);

public sealed record MemberProfile(
    Guid Id,
    string DisplayName,
    string? Phone,
    string? ExternalId,
    FunnelStage Stage,
    DateTimeOffset JoinedAt,
    Guid? ReferrerId,
    string? ReferrerName,
    int ReferredCount,
    IReadOnlyList<MemberGroup> Groups,
    string ReferralCode,
    WillingnessToPay Profile,
    IReadOnlyList<StageTransition> Timeline,
    IReadOnlyList<MemberOrderRow> Orders);
