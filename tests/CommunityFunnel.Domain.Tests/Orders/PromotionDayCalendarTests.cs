using CommunityFunnel.Domain.Promotions;

namespace CommunityFunnel.Domain.Tests.Orders;

public sealed class PromotionDayCalendarTests
{
    [Theory]
    [InlineData(18, "2026-02-10", "2026-02-18")]
    [InlineData(18, "2026-02-18", "2026-02-18")]
    [InlineData(18, "2026-02-19", "2026-03-18")]
    [InlineData(31, "2026-02-01", "2026-02-28")] // a short month: its last day
    [InlineData(29, "2028-02-01", "2028-02-29")] // a leap year has the 29th
    [InlineData(31, "2026-04-30", "2026-04-30")]
    [InlineData(30, "2026-12-31", "2027-01-30")]
    public void NextOnOrAfter_FallsOnTheMonthsLastDay_WhenTheMonthIsShorter(int dayOfMonth, string from, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            new PromotionDay(Guid.NewGuid(), dayOfMonth, 2m, null).NextOnOrAfter(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Change_ForgetsTheAnnouncedOccurrence_WhenTheNewDayFallsElsewhere()
    {
        var day = new PromotionDay(Guid.NewGuid(), 18, 2m, null);
        day.Scheduled(Guid.NewGuid(), new DateOnly(2026, 3, 18));

        day.Change(25, 2m, null);

        Assert.Null(day.NextEventId);
        Assert.Null(day.NextEventDate);
    }

    [Fact]
    public void Change_KeepsTheAnnouncedOccurrence_WhenTheNewDayFallsOnTheSameDate()
    {
        var day = new PromotionDay(Guid.NewGuid(), 31, 2m, null);
        var announced = Guid.NewGuid();
        day.Scheduled(announced, new DateOnly(2026, 4, 30));

        day.Change(30, 3m, null); // the 30th and the 31st both fall on 30 April

        Assert.Equal((announced, new DateOnly(2026, 4, 30)), (day.NextEventId, day.NextEventDate));
    }
}
