using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Payouts;

/// <summary>One partner's share of a batch was paid out (published as "payout.paid").</summary>
public sealed record PayoutPaid(Guid PayoutId, Guid MemberId, decimal Amount, string Currency, string Reference, DateTimeOffset OccurredAt) : IDomainEvent;
