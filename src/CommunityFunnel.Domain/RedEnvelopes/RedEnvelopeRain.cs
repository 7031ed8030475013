using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.RedEnvelopes;

/// <summary>How a packet pays out: store credit, or a coupon worth the packet's amount.</summary>
public enum RainPayoutKind
{
    Credit,
    Coupon,
}

public sealed record RainPayout(RainPayoutKind Kind, decimal? CouponMinOrder = null, int? CouponValidDays = null)
{
    public const int DefaultCouponValidDays = 7;
    public const int MaxCouponValidDays = 365;
}

/// <summary>One wave of a rain as an operator asks for it: minutes after the start, what it shares out, into how many packets.</summary>
public sealed record WaveTerms(int OffsetMinutes, decimal Budget, int Packets);

/// <summary>
/// Red envelopes rained on one or several groups in the first hour after <see cref="StartsAt"/> (an event's start, or a
/// moment of its own): each group gets every wave, each wave its own packets, split when the rain is saved and fixed
/// from then on. Every packet pays out the same way (<see cref="Payout"/>).
/// </summary>
public sealed class RedEnvelopeRain
{
    public const int MaxWaves = 5;
    public static readonly TimeSpan FirstHour = TimeSpan.FromHours(1);
    public static readonly int[] DefaultOffsets = [0, 10, 20];

    private RedEnvelopeRain()
    {
    }

    public RedEnvelopeRain(Guid? eventId, DateTimeOffset startsAt, RainPayout payout, bool announce, string createdBy, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        EventId = eventId;
        StartsAt = startsAt;
        PayoutKind = payout.Kind;
        CouponMinOrder = payout.Kind == RainPayoutKind.Coupon ? payout.CouponMinOrder : null;
        CouponValidDays = payout.Kind == RainPayoutKind.Coupon ? payout.CouponValidDays ?? RainPayout.DefaultCouponValidDays : null;
        Announce = announce;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid? EventId { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public RainPayoutKind PayoutKind { get; private set; }
    public decimal? CouponMinOrder { get; private set; }
    public int? CouponValidDays { get; private set; }

    /// <summary>Whether each wave is posted to its group's channels when it opens.</summary>
    public bool Announce { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When every wave of the rain stops taking claims: the end of the first hour.</summary>
    public DateTimeOffset EndsAt => StartsAt + FirstHour;

    /// <summary>What is wrong with the waves and the payout, checked against the minor unit of each group's currency.</summary>
    public static IReadOnlyList<RuleViolation> Check(IReadOnlyList<WaveTerms> waves, RainPayout payout, IEnumerable<decimal> minorUnits)
    {
        var errors = new List<RuleViolation>();
        if (waves.Count is 0 or > MaxWaves)
        {
            errors.Add(new RuleViolation("invalid_wave_count", $"A rain has 1 to {MaxWaves} waves.", "waves"));
        }

        if (waves.Select(w => w.OffsetMinutes).Distinct().Count() != waves.Count)
        {
            errors.Add(new RuleViolation("duplicate_wave_offset", "Two waves cannot open at the same minute.", "waves"));
        }

        var units = minorUnits.Distinct().ToList();
        for (var i = 0; i < waves.Count; i++)
        {
            var wave = waves[i];
            if (wave.OffsetMinutes < 0 || wave.OffsetMinutes >= FirstHour.TotalMinutes)
            {
                errors.Add(new RuleViolation("wave_outside_first_hour", "A wave opens 0 to 59 minutes after the start.", $"waves[{i}].offsetMinutes"));
            }

            foreach (var problem in units.Select(unit => PacketSplit.ProblemWith(wave.Budget, wave.Packets, unit)).Where(p => p != PacketSplitProblem.None).Distinct())
            {
                errors.Add(problem switch
                {
                    PacketSplitProblem.PacketCountOutOfRange => new RuleViolation("invalid_packet_count",
                        $"A wave has 1 to {PacketSplit.MaxPackets:N0} packets.", $"waves[{i}].packets"),
                    PacketSplitProblem.BudgetNotInMinorUnits => new RuleViolation("invalid_budget",
                        "The budget must be in the currency's smallest unit (no fractions of a cent, whole yen).", $"waves[{i}].budget"),
                    _ => new RuleViolation("budget_below_packets",
                        "The budget must give every packet at least the currency's smallest unit (packets x 0.01, or x 1 in a currency without cents).",
                        $"waves[{i}].budget"),
                });
            }
        }

        if (payout.Kind == RainPayoutKind.Coupon)
        {
            if (payout.CouponMinOrder is < 0)
            {
                errors.Add(new RuleViolation("invalid_min_order", "A coupon's minimum order cannot be negative.", "payout.minOrder"));
            }

            if (payout.CouponValidDays is < 1 or > RainPayout.MaxCouponValidDays)
            {
                errors.Add(new RuleViolation("invalid_valid_days", $"A coupon is valid for 1 to {RainPayout.MaxCouponValidDays} days.", "payout.validDays"));
            }
        }

        return errors;
    }
}
