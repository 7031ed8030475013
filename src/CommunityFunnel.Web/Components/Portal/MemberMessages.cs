using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Domain.Common;
using Microsoft.Extensions.Localization;

namespace CommunityFunnel.Web.Components.Portal;

/// <summary>What members read when something is refused, in the group's language; other problems keep the service's words.</summary>
internal static class MemberMessages
{
    /// <param name="country">The group's country, which a phone without a country code is read in.</param>
    public static string For(RuleViolation violation, IStringLocalizer<SharedResource> l, string? country = null) => violation.Code switch
    {
        "sold_out" => l["Sold out. Units not paid in time come back on sale, so check again later."],
        "limit_reached" => l["You already hold as many as one member may buy in this sale."],
        "not_live" => l["This sale is not open right now."],
        "not_open" => l["This group-buy is not open right now."],
        "already_joined" => l["You have already joined this group-buy."],
        "stage_too_low" => l["This sale is reserved for members who have already bought from the group."],
        "name_required" => l["Enter your name."],
        "phone_required" => l["Enter your phone number."],
        PhoneNormalizer.Invalid => country is null
            ? l["Enter your phone number with + and the country code."]
            : l["This is not a valid phone number in {0}. Check it, or start with + and the country code.", GroupCountries.DescribeNatively(country)],
        "consent_required" => l["Please agree to be contacted about the group's offers."],
        "resend_too_soon" => l["A new code can be sent 60 seconds after the last one."],
        "too_many_codes" => l["Too many codes were sent to this phone. Try again in an hour."],
        "too_many_requests" => l["Too many tries from your network. Try again later."],
        "sms_failed" => l["We could not send the code. Please try again."],
        "invalid_code" => l["Enter the 6-digit code from the SMS."],
        "no_code" => l["Ask for a code first."],
        "wrong_code" => l["That code is not right. Check the SMS and try again."],
        "wrong_code_last" => l["That code is not right, and that was the last try: ask for a new code."],
        "code_expired" => l["This code has expired: ask for a new one."],
        "code_used" => l["This code has already been used: ask for a new one."],
        "too_many_attempts" => l["This code was tried 5 times: ask for a new one."],
        "telegram_taken" => l["This Telegram account already signs in another member."],
        _ => violation.Message,
    };
}
