namespace CommunityFunnel.Domain.Payouts;

/// <summary>A payout batch: a draft until the transfers are made and it is marked paid, or cancelled to start over.</summary>
public enum PayoutStatus
{
    Draft,
    Paid,
    Cancelled,
}

/// <summary>Whether a partner's line is paid with its batch, or held back (with a reason) for a later one.</summary>
public enum PayoutItemStatus
{
    Included,
    HeldBack,
}

public enum PayoutChangeOutcome
{
    Changed,

    /// <summary>The batch or item is already so: a retried request changes nothing.</summary>
    AlreadyDone,

    /// <summary>The batch is no longer a draft (or was cancelled): nothing in it can change.</summary>
    NotAllowed,

    /// <summary>Every item is held back: there is nothing to mark paid.</summary>
    NothingIncluded,
}
