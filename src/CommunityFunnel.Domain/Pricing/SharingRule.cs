using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Pricing;

public enum SharingEntryMode
{
    /// <summary>Only an operator moves a member to Sharing.</summary>
    ChosenByOperator,

    /// <summary>A member becomes a sharing partner once enough of the people they referred have paid.</summary>
    ReferredPayers,

    /// <summary>A member becomes a sharing partner once the rebates they earned in the last 90 days reach an amount.</summary>
    RebatesEarned,
}

/// <summary>What an admin asks of the rule: its mode and each mode's threshold (the others are kept for a later switch).</summary>
public sealed record SharingRuleTerms(SharingEntryMode Mode, int ReferredPayersRequired, decimal RebatesEarnedRequired, string RebatesCurrency)
{
    public static SharingRuleTerms ReferredPayers(int required) => new(SharingEntryMode.ReferredPayers, required, SharingRule.DefaultRebatesEarnedRequired, Currencies.Default);

    public static SharingRuleTerms RebatesEarned(decimal required, string currency) =>
        new(SharingEntryMode.RebatesEarned, SharingRule.DefaultReferredPayersRequired, required, currency);

    /// <summary>Every threshold checked, whichever mode is chosen, so a later switch of mode never meets a nonsense value.</summary>
    public IReadOnlyList<RuleViolation> Check()
    {
        var errors = new List<RuleViolation>();
        if (!Enum.IsDefined(Mode))
        {
            errors.Add(new RuleViolation("invalid_sharing_mode", "Choose how members enter the Sharing stage.", "mode"));
        }

        if (ReferredPayersRequired is < 1 or > SharingRule.MaxReferredPayers)
        {
            errors.Add(new RuleViolation("invalid_sharing_rule",
                $"The number of referred members who paid must be between 1 and {SharingRule.MaxReferredPayers}.", "referredPayersRequired"));
        }

        if (Currencies.Check(RebatesCurrency, "rebatesCurrency", out var currency) is { } unknown)
        {
            errors.Add(unknown);
        }
        else if (RebatesEarnedRequired <= 0 || RebatesEarnedRequired > TierLadder.MaxPrice
            || decimal.Round(RebatesEarnedRequired / Currencies.MinorUnit(currency)) * Currencies.MinorUnit(currency) != RebatesEarnedRequired)
        {
            errors.Add(new RuleViolation("invalid_rebates_required",
                $"The rebates earned must be more than zero, at most {TierLadder.MaxPrice:N0}, in whole {Currencies.MinorUnit(currency)} {currency}.",
                "rebatesEarnedRequired"));
        }

        return errors;
    }
}

/// <summary>How members enter the Sharing stage. A single row; operators may always promote by hand.</summary>
public sealed class SharingRule
{
    public const int SingletonId = 1;
    public const int MaxReferredPayers = 1000;
    public const int DefaultReferredPayersRequired = 3;
    public const decimal DefaultRebatesEarnedRequired = 100m;

    /// <summary>The rebates that count toward <see cref="SharingEntryMode.RebatesEarned"/>: earned (net of what refunds took back) in this many days.</summary>
    public static readonly TimeSpan RebatesWindow = TimeSpan.FromDays(90);

    private SharingRule()
    {
    }

    public SharingRule(SharingRuleTerms terms)
    {
        Id = SingletonId;
        Change(terms);
    }

    public int Id { get; private set; }
    public SharingEntryMode Mode { get; private set; }
    public int ReferredPayersRequired { get; private set; }
    public decimal RebatesEarnedRequired { get; private set; }
    public string RebatesCurrency { get; private set; } = Currencies.Default;

    public static SharingRule Default => new(new SharingRuleTerms(SharingEntryMode.ChosenByOperator, DefaultReferredPayersRequired, DefaultRebatesEarnedRequired, Currencies.Default));

    public SharingRuleTerms Terms => new(Mode, ReferredPayersRequired, RebatesEarnedRequired, RebatesCurrency);

    public void Change(SharingRuleTerms terms)
    {
        if (terms.Check() is [var first, ..])
        {
            throw new ArgumentException(first.Message, nameof(terms));
        }

        Mode = terms.Mode;
        ReferredPayersRequired = terms.ReferredPayersRequired;
        RebatesEarnedRequired = terms.RebatesEarnedRequired;
        RebatesCurrency = terms.RebatesCurrency.Trim().ToUpperInvariant();
    }

    public bool IsMetByReferredPayers(int referredMembersWhoPaid) =>
        Mode == SharingEntryMode.ReferredPayers && referredMembersWhoPaid >= ReferredPayersRequired;

    public bool IsMetByRebatesEarned(decimal earnedInWindow) =>
        Mode == SharingEntryMode.RebatesEarned && earnedInWindow >= RebatesEarnedRequired;
}
