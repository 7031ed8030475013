using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Sales;

/// <summary>What a flash sale offers: price, stock, per-member limit, window, payment time and who may buy.</summary>
public sealed record FlashSaleTerms(
    decimal Price,
    int Stock,
    int PerMemberLimit,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    TimeSpan PaymentWindow,
    FunnelStage MinStage)
{
    public const int MaxStock = 1_000_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultPaymentWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxPaymentWindow = TimeSpan.FromDays(1);

    /// <summary>The payment window an operator asked for, in minutes, or the default.</summary>
    public static TimeSpan PaymentWindowOf(int? minutes) => minutes is { } m ? TimeSpan.FromMinutes(m) : DefaultPaymentWindow;

    /// <summary>Every problem with the terms at once; <paramref name="now"/> refuses a sale that would already be over.</summary>
    public IReadOnlyList<RuleViolation> Check(DateTimeOffset now)
    {
        var errors = CheckOffer();
        if (EndsAt <= StartsAt)
        {
            errors.Add(new RuleViolation("ends_before_start", "The sale must end after it starts.", "endsAt"));
        }
        else if (EndsAt - StartsAt > MaxDuration)
        {
            errors.Add(new RuleViolation("too_long", $"A flash sale lasts at most {MaxDuration.TotalDays:0} days.", "endsAt"));
        }
        else if (EndsAt <= now)
        {
            errors.Add(new RuleViolation("in_the_past", "The sale would already be over.", "endsAt"));
        }

        return errors;
    }

    /// <summary>What is offered, apart from when: a recurring slot checks its own timing.</summary>
    public List<RuleViolation> CheckOffer()
    {
        var errors = new List<RuleViolation>();
        errors.AddIfAny(Money.CheckPrice(Price, "price"));
        if (Stock is < 1 or > MaxStock)
        {
            errors.Add(new RuleViolation("invalid_stock", $"Stock must be between 1 and {MaxStock:N0}.", "stock"));
        }

        if (PerMemberLimit < 1)
        {
            errors.Add(new RuleViolation("invalid_limit", "The per-member limit must be at least 1.", "perMemberLimit"));
        }
        else if (PerMemberLimit > Stock && Stock >= 1)
        {
            errors.Add(new RuleViolation("limit_above_stock", $"The per-member limit ({PerMemberLimit}) cannot be above the stock ({Stock}).", "perMemberLimit"));
        }

        if (PaymentWindow < TimeSpan.FromMinutes(1) || PaymentWindow > MaxPaymentWindow)
        {
            errors.Add(new RuleViolation("invalid_payment_window", "The time to pay must be between 1 minute and 24 hours.", "paymentMinutes"));
        }

        if (!Enum.IsDefined(MinStage))
        {
            errors.Add(new RuleViolation("unknown_stage", "Unknown minimum stage.", "minStage"));
        }

        return errors;
    }
}
