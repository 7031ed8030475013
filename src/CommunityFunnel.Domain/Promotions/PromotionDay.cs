using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Promotions;

/// <summary>
/// A group's monthly member promotion day: rebates earned on it are multiplied, and with a gift product a newcomer who
/// joins through a referral that day gets the gift, as does the referrer once the newcomer's first order is paid. A
/// day beyond a month's length (29-31) falls on that month's last day, so every month has its promotion day.
/// </summary>
public sealed class PromotionDay
{
    public const decimal MaxMultiplier = 10m;

    private PromotionDay()
    {
    }

    public PromotionDay(Guid groupId, int dayOfMonth, decimal multiplier, Guid? giftProductId)
    {
        GroupId = groupId;
        Change(dayOfMonth, multiplier, giftProductId);
    }

    public Guid GroupId { get; private set; }
    public int DayOfMonth { get; private set; }
    public decimal Multiplier { get; private set; }
    public Guid? GiftProductId { get; private set; }

    /// <summary>The countdown event of the next occurrence, created by the scheduler (operators may edit it).</summary>
    public Guid? NextEventId { get; private set; }
    public DateOnly? NextEventDate { get; private set; }
    public uint Version { get; private set; }

    /// <summary>
    /// Changes the rules. An occurrence already announced that the new day no longer falls on is forgotten, for the scheduler
    /// to announce the new one; one it still falls on (the 31st and the 30th are both 30 April) keeps its event.
    /// </summary>
    public void Change(int dayOfMonth, decimal multiplier, Guid? giftProductId)
    {
        if (Check(dayOfMonth, multiplier).Count > 0)
        {
            throw new ArgumentException("The promotion day breaks its rules; check it with PromotionDay.Check first.");
        }

        (DayOfMonth, Multiplier, GiftProductId) = (dayOfMonth, multiplier, giftProductId);
        if (NextEventDate is { } announced && !IsOn(announced))
        {
            (NextEventId, NextEventDate) = (null, null); // the scheduler announces the new day
        }
    }

    public void Scheduled(Guid eventId, DateOnly date) => (NextEventId, NextEventDate) = (eventId, date);

    public static IReadOnlyList<RuleViolation> Check(int dayOfMonth, decimal multiplier)
    {
        var errors = new List<RuleViolation>();
        if (dayOfMonth is < 1 or > 31)
        {
            errors.Add(new RuleViolation("invalid_day_of_month",
                "The day of the month must be from 1 to 31; 29, 30 and 31 fall on the last day of shorter months.", "dayOfMonth"));
        }

        if (multiplier < 1 || multiplier > MaxMultiplier || decimal.Round(multiplier, 2) != multiplier)
        {
            errors.Add(new RuleViolation("invalid_multiplier", $"The multiplier must be from 1 to {MaxMultiplier:0}, with at most two decimals.", "multiplier"));
        }

        return errors;
    }

    /// <summary>The promotion day in the month of <paramref name="date"/> (the month's last day when it is shorter).</summary>
    public DateOnly InMonthOf(DateOnly date) => new(date.Year, date.Month, Math.Min(DayOfMonth, DateTime.DaysInMonth(date.Year, date.Month)));

    public bool IsOn(DateOnly date) => InMonthOf(date) == date;

    /// <summary>The first promotion day on or after <paramref name="date"/>.</summary>
    public DateOnly NextOnOrAfter(DateOnly date)
    {
        var thisMonth = InMonthOf(date);
        return thisMonth >= date ? thisMonth : InMonthOf(new DateOnly(date.Year, date.Month, 1).AddMonths(1));
    }
}
