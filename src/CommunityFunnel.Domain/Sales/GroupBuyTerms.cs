using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Sales;

/// <summary>A ladder group-buy's terms: the price tiers, the minimum to succeed, and when it opens and closes.</summary>
public sealed record GroupBuyTerms(IReadOnlyList<GroupBuyTier> Tiers, int MinParticipants, DateTimeOffset OpensAt, DateTimeOffset ClosesAt)
{
    public const int MaxTiers = 10;
    public const int MaxParticipants = 100_000;
    public const int MaxPortions = 20;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(14);

    /// <summary>Every problem with the terms at once; <paramref name="now"/> refuses a group-buy that would already be closed.</summary>
    public IReadOnlyList<RuleViolation> Check(DateTimeOffset now)
    {
        var errors = CheckOffer();
        if (ClosesAt <= OpensAt)
        {
            errors.Add(new RuleViolation("closes_before_open", "The group-buy must close after it opens.", "closesAt"));
        }
        else if (ClosesAt - OpensAt > MaxDuration)
        {
            errors.Add(new RuleViolation("too_long", $"A group-buy runs at most {MaxDuration.TotalDays:0} days.", "closesAt"));
        }
        else if (ClosesAt <= now)
        {
            errors.Add(new RuleViolation("in_the_past", "The group-buy would already be closed.", "closesAt"));
        }

        return errors;
    }

    /// <summary>The tiers and the minimum, apart from when: a group-buy for many groups checks these once and the times per group.</summary>
    public List<RuleViolation> CheckOffer()
    {
        var errors = new List<RuleViolation>();
        if (Tiers.Count == 0)
        {
            errors.Add(new RuleViolation("tiers_required", "Give at least one tier: from how many people, at what price per portion.", "tiers"));
        }
        else if (Tiers.Count > MaxTiers)
        {
            errors.Add(new RuleViolation("too_many_tiers", $"A group-buy has at most {MaxTiers} tiers.", "tiers"));
        }

        for (var i = 0; i < Tiers.Count && i < MaxTiers; i++)
        {
            var tier = Tiers[i];
            var field = $"tiers[{i}]";
            if (tier.Participants is < 1 or > MaxParticipants)
            {
                errors.Add(new RuleViolation("invalid_participants", $"Tier {i + 1}: the number of people must be between 1 and {MaxParticipants:N0}.", field));
            }

            errors.AddIfAny(Money.CheckPrice(tier.Price, field) is { } price ? price with { Message = $"Tier {i + 1}: {price.Message}" } : null);
            if (i > 0 && tier.Participants <= Tiers[i - 1].Participants)
            {
                errors.Add(new RuleViolation("tiers_out_of_order",
                    $"Tier {i + 1}: the number of people must rise from tier to tier ({Tiers[i - 1].Participants}, then {tier.Participants}).", field));
            }

            if (i > 0 && tier.Price >= Tiers[i - 1].Price)
            {
                errors.Add(new RuleViolation("prices_not_falling",
                    $"Tier {i + 1}: the price must fall as more people join ({Tiers[i - 1].Price}, then {tier.Price}).", field));
            }
        }

        if (Tiers.Count > 0 && MinParticipants < Tiers[0].Participants)
        {
            errors.Add(new RuleViolation("minimum_below_first_tier",
                $"The minimum to succeed must be at least the first tier's {Tiers[0].Participants} people, so a successful buy always has a price.", "minParticipants"));
        }
        else if (MinParticipants > MaxParticipants)
        {
            errors.Add(new RuleViolation("invalid_minimum", $"The minimum must be at most {MaxParticipants:N0}.", "minParticipants"));
        }

        return errors;
    }
}
