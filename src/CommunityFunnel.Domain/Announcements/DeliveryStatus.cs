namespace CommunityFunnel.Domain.Announcements;

public enum DeliveryStatus
{
    /// <summary>Waiting for its time (or its next attempt).</summary>
    Scheduled,

    /// <summary>Taken by a dispatcher; nothing sent yet. A crash here returns it to Scheduled.</summary>
    Claimed,

    /// <summary>The request is on its way. A crash here cannot tell whether it arrived: it becomes NeedsCheck.</summary>
    Sending,

    Sent,

    /// <summary>The platform refused it for good (a wrong key, a removed bot).</summary>
    Failed,

    /// <summary>Still not sent when it stopped mattering.</summary>
    Expired,

    /// <summary>Sent, but the answer never came: an operator looks before anything is resent.</summary>
    NeedsCheck,

    /// <summary>An assisted channel's post waiting in the operator's "to send" queue.</summary>
    AwaitingOperator,

    /// <summary>Its post was called off before it went out.</summary>
    Cancelled,
}
