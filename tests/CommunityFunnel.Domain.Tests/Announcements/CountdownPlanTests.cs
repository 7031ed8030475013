using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Tests.Announcements;

public sealed class CountdownPlanTests
{
    private static readonly TimeZoneInfo Madrid = TimeZones.Find("Europe/Madrid");
    private static readonly TimeZoneInfo Shanghai = TimeZones.Find("Asia/Shanghai");
    private static readonly DateTimeOffset LongAgo = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void DefaultPlan_PostsAtTheSameLocalHour_AcrossTheSpringChange_InMadrid()
    {
        var start = LocalTimes.ToUtc(new DateTime(2026, 3, 30, 20, 0, 0), Madrid); // Monday after the change: CEST, UTC+2

        var due = CountdownPlan.Default(new TimeOnly(20, 0)).Schedule(start, Madrid, LongAgo).Select(p => p.DueAt).ToList();

        Assert.Equal(Utc(3, 30, 18), start);
        Assert.Equal(
        [
            Utc(3, 27, 19), // Friday 20:00 CET (UTC+1)
            Utc(3, 28, 19), // Saturday 20:00 CET
            Utc(3, 29, 18), // Sunday 20:00 CEST: the clocks went forward that night
            Utc(3, 30, 17), // one hour before
            Utc(3, 30, 17, 50), // ten minutes before
            Utc(3, 30, 18), // at the start
        ], due);
        Assert.All(due.Take(3), d => Assert.Equal(20, LocalTimes.ToLocal(d, Madrid).Hour));
    }

    [Fact]
    public void DefaultPlan_PostsAtTheSameLocalHour_AcrossTheAutumnChange_InMadrid()
    {
        var start = LocalTimes.ToUtc(new DateTime(2026, 10, 26, 20, 0, 0), Madrid); // CET, UTC+1

        var due = CountdownPlan.Default(new TimeOnly(20, 0)).Schedule(start, Madrid, LongAgo).Select(p => p.DueAt).ToList();

        Assert.Equal([Utc(10, 23, 18), Utc(10, 24, 18), Utc(10, 25, 19), Utc(10, 26, 18), Utc(10, 26, 18, 50), Utc(10, 26, 19)], due);
    }

    [Fact]
    public void ExactSteps_CountRealTime_WhenTheLastHourCrossesTheChange()
    {
        // 03:30 on the night the clocks go back: "one hour before" is 02:30 CEST, the first 02:30 of that night.
        var start = LocalTimes.ToUtc(new DateTime(2026, 10, 25, 3, 30, 0), Madrid);
        var plan = CountdownPlan.Create([CountdownStep.BeforeStart(TimeSpan.FromHours(2))]).Plan!;

        var due = Assert.Single(plan.Schedule(start, Madrid, LongAgo)).DueAt;

        Assert.Equal(Utc(10, 25, 2, 30), start);
        Assert.Equal(Utc(10, 25, 0, 30), due);
        Assert.Equal(new DateTime(2026, 10, 25, 2, 30, 0), LocalTimes.ToLocal(due, Madrid));
    }

    [Fact]
    public void LocalTimes_MoveSkippedTimesForward_AndReadRepeatedTimesAsTheFirst()
    {
        Assert.Equal(Utc(3, 29, 1, 30), LocalTimes.ToUtc(new DateTime(2026, 3, 29, 2, 30, 0), Madrid)); // does not exist: 03:30 CEST
        Assert.Equal(Utc(10, 25, 0, 30), LocalTimes.ToUtc(new DateTime(2026, 10, 25, 2, 30, 0), Madrid)); // happens twice: the first
    }

    [Fact]
    public void DefaultPlan_InShanghai_IsPlainArithmetic()
    {
        var start = LocalTimes.ToUtc(new DateTime(2026, 11, 27, 20, 0, 0), Shanghai); // Friday 20:00 group-buy

        var due = CountdownPlan.Default(new TimeOnly(9, 30)).Schedule(start, Shanghai, LongAgo).Select(p => p.DueAt).ToList();

        Assert.Equal([Utc(11, 24, 1, 30), Utc(11, 25, 1, 30), Utc(11, 26, 1, 30), Utc(11, 27, 11), Utc(11, 27, 11, 50), Utc(11, 27, 12)], due);
    }

    [Fact]
    public void Schedule_LeavesOutStepsAlreadyInThePast()
    {
        var start = Utc(11, 27, 12);

        var posts = CountdownPlan.Default(new TimeOnly(20, 0)).Schedule(start, Shanghai, now: Utc(11, 27, 11, 30));

        Assert.Equal([TimeSpan.FromMinutes(10), TimeSpan.Zero], posts.Select(p => p.Step.Before!.Value));
    }

    [Fact]
    public void Create_RefusesAnEmptyPlan_AndStepsCannotPointAfterTheStart()
    {
        Assert.Equal("plan_empty", Assert.Single(CountdownPlan.Create([]).Errors).Code);
        Assert.Throws<ArgumentOutOfRangeException>(() => CountdownStep.BeforeStart(TimeSpan.FromMinutes(-5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CountdownStep.DaysBeforeAt(0, new TimeOnly(20, 0)));
    }

    [Fact]
    public void Steps_AreStoredAsCodes_AndReadBackTheSame()
    {
        var steps = CountdownPlan.Default(new TimeOnly(9, 30)).Steps;

        Assert.Equal(["3d@09:30", "2d@09:30", "1d@09:30", "60m", "10m", "0m"], steps.Select(s => s.Code));
        Assert.Equal(steps, steps.Select(s => CountdownStep.FromCode(s.Code)));
    }
}
