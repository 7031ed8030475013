using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Referrals;

/// <summary>A member was recorded as brought in by a referrer (accepted or flagged for review).</summary>
public sealed record MemberReferred(Guid ReferralId, Guid MemberId, Guid ReferrerId, Guid GroupId, ReferralStatus Status, DateTimeOffset OccurredAt) : IDomainEvent;

public enum ReferralStatus
{
    /// <summary>Recorded: the referrer earns on the member's orders.</summary>
    Accepted,

    /// <summary>Looks suspicious: rebates are credited but wait for an operator's review before they can be released.</summary>
    Flagged,

    /// <summary>Flagged, then approved by an operator: like accepted.</summary>
    Approved,

    /// <summary>Flagged, then rejected: pending rebates are voided and no more are credited.</summary>
    Rejected,

    /// <summary>Not recorded at all (self-referral, an existing member): kept with its reason for the record.</summary>
    Refused,
}

/// <summary>Why a referral was refused or flagged; stable codes shown to operators and kept in the record.</summary>
public static class ReferralReasons
{
    public const string SelfReferral = "self_referral";
    public const string AlreadyMember = "already_member";
    public const string ManyFromOneAddress = "many_from_one_address";
    public const string SimilarNames = "similar_names";
    public const string ReferredNeverPay = "referred_never_pay";
}

/// <summary>
/// One attempt to attribute a member to a referrer: the record of who brought whom (the member's referrer itself is
/// on the member and never changes), or why it was refused, and for a suspicious one the operator's review.
/// </summary>
public sealed class Referral : EventSource
{
    private Referral()
    {
    }

    private Referral(Guid memberId, Guid referrerId, Guid groupId, ReferralStatus status, IReadOnlyList<string> reasons, string? clientAddress, DateTimeOffset at)
    {
        Id = Guid.CreateVersion7(at);
        MemberId = memberId;
        ReferrerId = referrerId;
        GroupId = groupId;
        Status = status;
        Reasons = [.. reasons];
        ClientAddress = clientAddress;
        CreatedAt = at;
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public Guid ReferrerId { get; private set; }
    public Guid GroupId { get; private set; }
    public ReferralStatus Status { get; private set; }
    public List<string> Reasons { get; private set; } = [];
    public string? ClientAddress { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public uint Version { get; private set; }

    public static Referral Accept(Guid memberId, Guid referrerId, Guid groupId, IReadOnlyList<string> flags, string? clientAddress, DateTimeOffset at)
    {
        var referral = new Referral(memberId, referrerId, groupId, flags.Count == 0 ? ReferralStatus.Accepted : ReferralStatus.Flagged, flags, clientAddress, at);
        referral.Raise(new MemberReferred(referral.Id, memberId, referrerId, groupId, referral.Status, at));
        return referral;
    }

    public static Referral Refuse(Guid memberId, Guid referrerId, Guid groupId, string reason, string? clientAddress, DateTimeOffset at) =>
        new(memberId, referrerId, groupId, ReferralStatus.Refused, [reason], clientAddress, at);

    /// <summary>Whether rebates on the member's orders may be released (and credited at all).</summary>
    public bool Earns => Status is ReferralStatus.Accepted or ReferralStatus.Approved;

    /// <summary>A pattern seen later (the referrer's referred members do not pay) sends an accepted referral to review.</summary>
    public bool Flag(string reason)
    {
        if (Status != ReferralStatus.Accepted)
        {
            return false;
        }

        Status = ReferralStatus.Flagged;
        Reasons = [.. Reasons, reason];
        return true;
    }

    public bool Approve(string by, DateTimeOffset at) => Decide(ReferralStatus.Approved, by, at);

    public bool Reject(string by, DateTimeOffset at) => Decide(ReferralStatus.Rejected, by, at);

    private bool Decide(ReferralStatus decision, string by, DateTimeOffset at)
    {
        if (Status != ReferralStatus.Flagged)
        {
            return false;
        }

        Status = decision;
        DecidedBy = by;
        DecidedAt = at;
        return true;
    }
}
