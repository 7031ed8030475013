using CommunityFunnel.Domain.Rebates;

namespace CommunityFunnel.Application.Rebates;

public sealed record RebateLine(Guid Id, RebateEntryKind Kind, int Level, decimal Amount, Guid? OrderId, DateTimeOffset CreatedAt, DateTimeOffset? AvailableAt);

/// <summary>A member's rebates in one currency: the three balances (sums of the entries) and the entries, newest first.</summary>
public sealed record RebateStatement(string Currency, decimal Pending, decimal Available, decimal PaidOut, IReadOnlyList<RebateLine> Entries);

/// <summary>A member's available balance in one currency (init properties, so a query can go on filtering on them).</summary>
public sealed record AvailableBalance
{
    public Guid MemberId { get; init; }
    public decimal Available { get; init; }
}
