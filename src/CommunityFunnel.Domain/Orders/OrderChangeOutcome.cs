namespace CommunityFunnel.Domain.Orders;

public enum OrderChangeOutcome
{
    Changed,

    /// <summary>The order is already in the requested state: a retried request changes nothing.</summary>
    AlreadyDone,

    NotAllowed,
}
