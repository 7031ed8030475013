using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Promotions;

namespace CommunityFunnel.Application.Sharing;

/// <summary>A member's share page: their link in each of their groups and the people they brought there.</summary>
public sealed record MemberShare(string ReferralCode, IReadOnlyList<SharedGroup> Groups);

public sealed record SharedGroup(
    Guid Id, string Name, string JoinCode, string TimeZoneId, string? Country, IReadOnlyList<BroughtPerson> People, UpcomingPromotionDay? PromotionDay);

/// <summary>Someone a member brought into a group, as that member sees them: a short name, when they joined, whether they have paid (never a phone or an amount).</summary>
public sealed record BroughtPerson(string ShortName, DateTimeOffset JoinedAt, bool HasPaid);

/// <summary>What goes on a poster before the web layer makes its link absolute: a member's (with their name and referral code) or the group's own.</summary>
public sealed record PosterSubject(string GroupName, string JoinCode, string Language, string? PersonName, string? ReferralCode, string? Headline)
{
    public string LinkPath => ReferralCode is null ? JoinLinks.PathFor(JoinCode) : JoinLinks.PathFor(JoinCode, ReferralCode);

    public PosterContent Content(string absoluteLink) => new(GroupName, PersonName, Headline, absoluteLink, Language);
}
