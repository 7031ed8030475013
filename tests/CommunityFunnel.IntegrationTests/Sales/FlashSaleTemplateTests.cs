using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Sales;

public sealed class FlashSaleTemplateTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task WeekdaySessions_StartAt20LocalTime_AcrossTheAutumnClockChange_AndAreCreatedOnce()
    {
        var group = await _data.GroupAsync("Madrid Café", "EUR", "Europe/Madrid");
        var product = await _data.ProductAsync(currency: "EUR");
        Database.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 19, 12, 0, 0, TimeSpan.Zero)); // a Monday, summer time
        var templates = Database.Get<FlashSaleTemplateService>();
        var days = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday };

        TestData.Succeeded(await templates.CreateAsync(TestData.Admin,
            new FlashSaleTemplateInput(group, product, days, new TimeOnly(20, 0), 30, 9.9m, 50, 2), Ct));
        Database.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 23, 12, 0, 0, TimeSpan.Zero)); // Friday; Sunday the clocks go back
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => templates.ScheduleUpcomingAsync(Ct))));

        await using var db = await Database.CreateDbContextAsync();
        var starts = await db.FlashSales.Where(s => s.GroupId == group).OrderBy(s => s.StartsAt).Select(s => s.StartsAt).ToListAsync(Ct);
        Assert.Equal(
            [
                new DateTimeOffset(2026, 10, 19, 18, 0, 0, TimeSpan.Zero), // 20:00 CEST
                new DateTimeOffset(2026, 10, 20, 18, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 10, 21, 18, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 10, 22, 18, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 10, 26, 19, 0, 0, TimeSpan.Zero), // 20:00 CET, after the change
                new DateTimeOffset(2026, 10, 27, 19, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 10, 28, 19, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 10, 29, 19, 0, 0, TimeSpan.Zero),
            ], starts);
        Assert.Equal(4, runs.Sum()); // the second week once, however many runs at once
        Assert.All(await db.FlashSales.Where(s => s.GroupId == group).ToListAsync(Ct), s => Assert.Equal((50, 2, TimeSpan.FromMinutes(30)), (s.Stock, s.PerMemberLimit, s.EndsAt - s.StartsAt)));
    }

    [Fact]
    public async Task CreateAsync_RefusesNoDaysAndBadTerms()
    {
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync();

        var result = await Database.Get<FlashSaleTemplateService>().CreateAsync(TestData.Admin,
            new FlashSaleTemplateInput(group, product, [], new TimeOnly(20, 0), 0, 0m, 5, 6, MinStage: FunnelStage.Low), Ct);

        Assert.Equivalent(new[] { "days_required", "invalid_duration", "price_not_positive", "limit_above_stock" }, result.Failure!.Violations.Select(v => v.Code));
    }
}
