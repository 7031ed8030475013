namespace CommunityFunnel.Domain.Rebates;

/// <summary>
/// What a ledger entry records, and so which balances it moves (<see cref="RebateEntry"/>): balances are sums of entries,
/// never stored apart from them.
/// </summary>
public enum RebateEntryKind
{
    /// <summary>Earned on a referred member's paid order: pending until the hold ends (and review, if flagged).</summary>
    Earned,

    /// <summary>The hold is over: pending becomes available.</summary>
    Released,

    /// <summary>Taken back while still pending: a refund in the hold, or a rejected referral.</summary>
    Voided,

    /// <summary>Taken back after it became available or was paid out: a negative entry that later rebates make up for.</summary>
    ClawedBack,

    /// <summary>Included in a payout marked paid.</summary>
    PaidOut,
}
