using System.Text.Json;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;

namespace CommunityFunnel.Application.Events;

/// <summary>
/// The events the outside world may subscribe to, by their published names (a contract: names never change). Other
/// domain events stay inside the transaction.
/// </summary>
public static class PublishedEvents
{
    public const string OrderPaid = "order.paid";
    public const string OrderRefunded = "order.refunded";
    public const string MemberJoined = "member.joined";
    public const string MemberStageChanged = "member.stage_changed";
    public const string RebateCredited = "rebate.credited";
    public const string RebateClawedBack = "rebate.clawed_back";
    public const string PayoutPaid = "payout.paid";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private static readonly Dictionary<Type, string> NamesByType = new()
    {
        [typeof(Domain.Orders.OrderPaid)] = OrderPaid,
        [typeof(Domain.Orders.OrderRefunded)] = OrderRefunded,
        [typeof(Domain.Members.MemberJoined)] = MemberJoined,
        [typeof(Domain.Members.MemberStageChanged)] = MemberStageChanged,
        [typeof(Domain.Rebates.RebateCredited)] = RebateCredited,
        [typeof(Domain.Rebates.RebateClawedBack)] = RebateClawedBack,
        [typeof(Domain.Payouts.PayoutPaid)] = PayoutPaid,
    };

    private static readonly HashSet<string> AllNames = [OrderPaid, OrderRefunded, MemberJoined, MemberStageChanged, RebateCredited, RebateClawedBack, PayoutPaid];

    public static IReadOnlyCollection<string> Names => AllNames;

    public static bool IsKnown(string name) => AllNames.Contains(name);

    /// <summary>The outbox row for <paramref name="domainEvent"/>, or null when it is not published.</summary>
    public static OutboxMessage? ToOutbox(IDomainEvent domainEvent) =>
        NamesByType.TryGetValue(domainEvent.GetType(), out var name)
            ? new OutboxMessage(name, JsonSerializer.Serialize(domainEvent, domainEvent.GetType(), Json), domainEvent.OccurredAt)
            : null;
}
