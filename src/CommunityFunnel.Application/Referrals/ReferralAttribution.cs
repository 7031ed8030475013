using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Referrals;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Referrals;

/// <summary>What attribution compares of the referrer: who they are and how to reach them.</summary>
public sealed record ReferrerContact(Guid Id, string DisplayName, string? Phone, string? ExternalId);

/// <summary>
/// Decides whether a join through someone's referral code records that someone as the referrer, in the join's own
/// transaction. Every path that adds members (the join page, the API, CSV imports) decides through
/// <see cref="Decide"/>, so a self-referral cannot slip in through a second door.
/// </summary>
public static class ReferralAttribution
{
    /// <summary>Joins through one code from one client address within an hour beyond which each further one is flagged.</summary>
    public const int JoinsPerAddressPerHour = 3;

    /// <summary>The referrer a code names, if it names a member of <paramref name="groupId"/>; otherwise why not.</summary>
    public static async Task<Result<Guid>> ResolveCodeAsync(CommunityFunnelDbContext db, string code, Guid groupId, CancellationToken ct)
    {
        var referrer = await db.Members.AsNoTracking().Where(m => m.ReferralCode == code.Trim()).Select(m => (Guid?)m.Id).SingleOrDefaultAsync(ct);
        if (referrer is not { } referrerId)
        {
            return Failure.Invalid("unknown_referral_code", "No member has this referral code.", "referrerCode");
        }

        return await db.GroupMemberships.AnyAsync(gm => gm.GroupId == groupId && gm.MemberId == referrerId, ct)
            ? referrerId
            : Failure.Invalid("referrer_not_in_group", "The referral code belongs to someone who is not in this group.", "referrerCode");
    }

    /// <summary>
    /// Records <paramref name="referrerId"/> as the referrer of a member joining now, or records why not (see
    /// <see cref="Decide"/>); adds the referral to <paramref name="db"/>.
    /// </summary>
    public static async Task<Referral> AttributeAsync(
        CommunityFunnelDbContext db, Member member, bool isNewMember, Guid referrerId, Guid groupId, string? clientAddress, DateTimeOffset now, CancellationToken ct)
    {
        var referrer = await db.Members.AsNoTracking().Where(m => m.Id == referrerId)
            .Select(m => new ReferrerContact(m.Id, m.DisplayName, m.Phone, m.ExternalId)).SingleAsync(ct);
        var manyFromAddress = clientAddress is not null && await db.Referrals.CountAsync(r => r.ReferrerId == referrerId && r.ClientAddress == clientAddress
            && r.Status != ReferralStatus.Refused && r.CreatedAt > now.AddHours(-1), ct) >= JoinsPerAddressPerHour;
        var referral = Decide(member, isNewMember, referrer, groupId, clientAddress, manyFromAddress, now);
        db.Referrals.Add(referral);
        return referral;
    }

    /// <summary>
    /// The decision for one join, the same for every door: refused for the same person (same member, phone or platform
    /// id) or for someone who was already a member (<paramref name="isNewMember"/> false, or referred before);
    /// otherwise the referrer is set on <paramref name="member"/> and the referral accepted, flagged for review when it
    /// looks suspicious.
    /// </summary>
    public static Referral Decide(
        Member member, bool isNewMember, ReferrerContact referrer, Guid groupId, string? clientAddress, bool manyFromAddress, DateTimeOffset now)
    {
        var sameContact = (member.Phone is not null && member.Phone == referrer.Phone) || (member.ExternalId is not null && member.ExternalId == referrer.ExternalId);
        if (member.Id == referrer.Id || sameContact)
        {
            return Referral.Refuse(member.Id, referrer.Id, groupId, ReferralReasons.SelfReferral, clientAddress, now);
        }

        if (!isNewMember || member.ReferrerId is not null)
        {
            return Referral.Refuse(member.Id, referrer.Id, groupId, ReferralReasons.AlreadyMember, clientAddress, now);
        }

        var flags = new List<string>();
        if (manyFromAddress)
        {
            flags.Add(ReferralReasons.ManyFromOneAddress);
        }

        if (SimilarNames.Are(member.DisplayName, referrer.DisplayName))
        {
            flags.Add(ReferralReasons.SimilarNames);
        }

        member.SetReferrer(referrer.Id);
        return Referral.Accept(member.Id, referrer.Id, groupId, flags, clientAddress, now);
    }
}
