using System.Globalization;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Announcements;

/// <summary>
/// One post of a countdown plan: either "N days before, at HH:mm local time" (a calendar step, which stays at the
/// same wall-clock hour across daylight-saving changes) or "this long before the start" (an exact step).
/// </summary>
public sealed record CountdownStep
{
    public const int MaxDaysBefore = 30;

    private CountdownStep(int? daysBefore, TimeOnly? atLocalTime, TimeSpan? before)
    {
        DaysBefore = daysBefore;
        AtLocalTime = atLocalTime;
        Before = before;
    }

    public int? DaysBefore { get; }
    public TimeOnly? AtLocalTime { get; }
    public TimeSpan? Before { get; }

    public bool IsCalendarStep => DaysBefore is not null;

    /// <summary>How the step is stored: "3d@20:00" (calendar) or "60m" (exact).</summary>
    public string Code => Before is { } before
        ? $"{(long)before.TotalMinutes}m"
        : $"{DaysBefore}d@{AtLocalTime!.Value.ToString("HH:mm", CultureInfo.InvariantCulture)}";

    public static CountdownStep FromCode(string code)
    {
        if (code.EndsWith('m'))
        {
            return BeforeStart(TimeSpan.FromMinutes(long.Parse(code[..^1], CultureInfo.InvariantCulture)));
        }

        var at = code.IndexOf("d@", StringComparison.Ordinal);
        return DaysBeforeAt(int.Parse(code[..at], CultureInfo.InvariantCulture), TimeOnly.ParseExact(code[(at + 2)..], "HH:mm", CultureInfo.InvariantCulture));
    }

    public static CountdownStep DaysBeforeAt(int days, TimeOnly localTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDaysBefore);
        return new CountdownStep(days, localTime, null);
    }

    /// <summary>An exact offset before the start; <see cref="TimeSpan.Zero"/> is "at the start".</summary>
    public static CountdownStep BeforeStart(TimeSpan before)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(before, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(before, TimeSpan.FromDays(MaxDaysBefore));
        return new CountdownStep(null, null, before);
    }

    /// <summary>The instant this step posts for an event starting at <paramref name="start"/> in <paramref name="zone"/>.</summary>
    public DateTimeOffset DueFor(DateTimeOffset start, TimeZoneInfo zone)
    {
        if (Before is { } before)
        {
            return start - before;
        }

        var startDay = DateOnly.FromDateTime(LocalTimes.ToLocal(start, zone));
        return LocalTimes.ToUtc(startDay.AddDays(-DaysBefore!.Value).ToDateTime(AtLocalTime!.Value), zone);
    }

    public override string ToString() => Before switch
    {
        null => $"{DaysBefore} day(s) before at {AtLocalTime:HH\\:mm}",
        { } b when b == TimeSpan.Zero => "at the start",
        { TotalHours: >= 1 } b when b.Minutes == 0 => $"{b.TotalHours:0} hour(s) before",
        { } b => $"{b.TotalMinutes:0} minute(s) before",
    };
}
