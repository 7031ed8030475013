namespace CommunityFunnel.Domain.Pricing;

public enum SharingEntryMode
{
    /// <summary>Only an operator moves a member to Sharing.</summary>
    ChosenByOperator,

    /// <summary>A member becomes a sharing partner once enough of the people they referred have paid.</summary>
    ReferredPayers,
}

/// <summary>How members enter the Sharing stage. A single row; operators may always promote by hand.</summary>
public sealed class SharingRule
{
    public const int SingletonId = 1;
    public const int MaxReferredPayers = 1000;

    private SharingRule()
    {
    }

    public SharingRule(SharingEntryMode mode, int referredPayersRequired)
    {
        Id = SingletonId;
        Change(mode, referredPayersRequired);
    }

    public int Id { get; private set; }
    public SharingEntryMode Mode { get; private set; }
    public int ReferredPayersRequired { get; private set; }

    public static SharingRule Default => new(SharingEntryMode.ChosenByOperator, 3);

    public void Change(SharingEntryMode mode, int referredPayersRequired)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(referredPayersRequired, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(referredPayersRequired, MaxReferredPayers);
        Mode = mode;
        ReferredPayersRequired = referredPayersRequired;
    }

    public bool IsMetBy(int referredMembersWhoPaid) =>
        Mode == SharingEntryMode.ReferredPayers && referredMembersWhoPaid >= ReferredPayersRequired;
}
