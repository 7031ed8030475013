using CommunityFunnel.Application.Events;
using Microsoft.Extensions.Localization;

namespace CommunityFunnel.Web.Components.Pages.Admin;

/// <summary>What each published event means, in the page's language; the names themselves are the contract and stay as they are.</summary>
internal static class WebhookEvents
{
    public static IReadOnlyList<string> All { get; } =
    [
        PublishedEvents.OrderPaid, PublishedEvents.OrderRefunded, PublishedEvents.MemberJoined, PublishedEvents.MemberStageChanged,
        PublishedEvents.RebateCredited, PublishedEvents.RebateClawedBack, PublishedEvents.PayoutPaid,
    ];

    public static string Describe(string name, IStringLocalizer L) => name switch
    {
        PublishedEvents.OrderPaid => L["An order is paid"],
        PublishedEvents.OrderRefunded => L["An order is refunded, in full or in part"],
        PublishedEvents.MemberJoined => L["A member joins a group"],
        PublishedEvents.MemberStageChanged => L["A member's funnel stage changes"],
        PublishedEvents.RebateCredited => L["A rebate is credited"],
        PublishedEvents.RebateClawedBack => L["A rebate is clawed back"],
        PublishedEvents.PayoutPaid => L["A payout is paid"],
        _ => name,
    };
}
