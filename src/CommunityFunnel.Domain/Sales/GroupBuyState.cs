namespace CommunityFunnel.Domain.Sales;

public enum GroupBuyState
{
    Upcoming,
    Open,

    /// <summary>Past its deadline, waiting for the settlement job (seconds at most).</summary>
    Closing,
    Succeeded,
    Failed,
}
