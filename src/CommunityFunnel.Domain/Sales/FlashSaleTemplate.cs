using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Sales;

/// <summary>
/// A recurring flash-sale slot ("Monday to Thursday at 20:00 for 30 minutes"), in the group's local time. Sessions are
/// created from it ahead of time, one per (template, start); each is then an ordinary <see cref="FlashSale"/>.
/// </summary>
public sealed class FlashSaleTemplate
{
    private FlashSaleTemplate()
    {
    }

    public FlashSaleTemplate(Guid groupId, Guid productId, FlashSaleSlot slot, decimal price, int stock, int perMemberLimit,
        TimeSpan paymentWindow, FunnelStage minStage, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        GroupId = groupId;
        ProductId = productId;
        Days = [.. slot.Days.Distinct().Order()];
        LocalStart = slot.LocalStart;
        Duration = slot.Duration;
        Price = price;
        Stock = stock;
        PerMemberLimit = perMemberLimit;
        PaymentWindow = paymentWindow;
        MinStage = minStage;
        IsActive = true;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid GroupId { get; private set; }
    public Guid ProductId { get; private set; }
    public List<DayOfWeek> Days { get; private set; } = [];
    public TimeOnly LocalStart { get; private set; }
    public TimeSpan Duration { get; private set; }
    public decimal Price { get; private set; }
    public int Stock { get; private set; }
    public int PerMemberLimit { get; private set; }
    public TimeSpan PaymentWindow { get; private set; }
    public FunnelStage MinStage { get; private set; }
    public bool IsActive { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void Deactivate() => IsActive = false;

    public FlashSaleTerms TermsAt(DateTimeOffset startsAt) =>
        new(Price, Stock, PerMemberLimit, startsAt, startsAt + Duration, PaymentWindow, MinStage);

    /// <summary>Start instants in (<paramref name="from"/>, <paramref name="until"/>], computed day by day in the group's zone.</summary>
    public IEnumerable<DateTimeOffset> StartsBetween(DateTimeOffset from, DateTimeOffset until, TimeZoneInfo zone)
    {
        var day = DateOnly.FromDateTime(LocalTimes.ToLocal(from, zone));
        var lastDay = DateOnly.FromDateTime(LocalTimes.ToLocal(until, zone));
        for (; day <= lastDay; day = day.AddDays(1))
        {
            if (!Days.Contains(day.DayOfWeek))
            {
                continue;
            }

            var start = LocalTimes.ToUtc(day.ToDateTime(LocalStart), zone);
            if (start > from && start <= until)
            {
                yield return start;
            }
        }
    }
}

/// <summary>When a recurring flash sale runs, in local time.</summary>
public sealed record FlashSaleSlot(IReadOnlyList<DayOfWeek> Days, TimeOnly LocalStart, TimeSpan Duration)
{
    public static readonly FlashSaleSlot Playbook = new([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday],
        new TimeOnly(20, 0), TimeSpan.FromMinutes(30));

    public IReadOnlyList<RuleViolation> Check()
    {
        var errors = new List<RuleViolation>();
        if (Days.Count == 0)
        {
            errors.Add(new RuleViolation("days_required", "Pick at least one weekday.", "days"));
        }

        if (Duration < TimeSpan.FromMinutes(1) || Duration > TimeSpan.FromHours(24))
        {
            errors.Add(new RuleViolation("invalid_duration", "A recurring sale lasts between 1 minute and 24 hours.", "durationMinutes"));
        }

        return errors;
    }
}
