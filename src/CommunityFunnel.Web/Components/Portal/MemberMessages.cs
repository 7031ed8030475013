using CommunityFunnel.Application.Portal;
using CommunityFunnel.Domain.Common;
using Microsoft.Extensions.Localization;

namespace CommunityFunnel.Web.Components.Portal;

/// <summary>What members read when something is refused, in the group's language; other problems keep the service's words.</summary>
internal static class MemberMessages
{
    public static string For(RuleViolation violation, IStringLocalizer<SharedResource> l) => violation.Code switch
    {
        "sold_out" => l["Sold out. Units not paid in time come back on sale, so check again later."],
        "limit_reached" => l["You already hold as many as one member may buy in this sale."],
        "not_live" => l["This sale is not open right now."],
        "not_open" => l["This group-buy is not open right now."],
        "already_joined" => l["You have already joined this group-buy."],
        "stage_too_low" => l["This sale is reserved for members who have already bought from the group."],
        "name_required" => l["Enter your name."],
        "phone_required" => l["Enter your phone number."],
        "invalid_phone" => l["Enter a valid phone number: 5 to 15 digits, optionally starting with +."],
        "consent_required" => l["Please agree to be contacted about the group's offers."],
        MemberPortal.JoinRefused => l["If you are already a member, open your personal link or ask the group's host."],
        _ => violation.Message,
    };
}
