using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Sales;

namespace CommunityFunnel.Domain.Tests.Sales;

public sealed class FlashSaleTests
{
    private static readonly DateTimeOffset Opens = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheState_FollowsTheClockAndTheStock()
    {
        var sale = new FlashSale(Guid.NewGuid(), Guid.NewGuid(), "CNY",
            new FlashSaleTerms(9.9m, 5, 1, Opens, Opens.AddMinutes(30), TimeSpan.FromMinutes(15), FunnelStage.Free), null, Opens.AddDays(-1));

        Assert.Equal(FlashSaleState.Upcoming, sale.StateAt(Opens.AddSeconds(-1)));
        Assert.Equal(FlashSaleState.Live, sale.StateAt(Opens));
        Assert.Equal(FlashSaleState.Ended, sale.StateAt(Opens.AddMinutes(30)));
        Assert.Equal(FlashSaleState.SoldOut, FlashSale.StateAt(Opens.AddMinutes(1), Opens, Opens.AddMinutes(30), remaining: 0, cancelled: false));
        Assert.True(sale.Cancel(Opens.AddMinutes(5)));
        Assert.Equal(FlashSaleState.Cancelled, sale.StateAt(Opens.AddMinutes(6)));
    }

    [Fact]
    public void WeekdaySlots_KeepTheirLocalHour_AcrossTheSpringForwardGap()
    {
        var madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");
        var template = new FlashSaleTemplate(Guid.NewGuid(), Guid.NewGuid(), FlashSaleSlot.Playbook, 9.9m, 10, 1, TimeSpan.FromMinutes(15), FunnelStage.Free, Opens);
        var friday = new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero); // Madrid moves to summer time on Sunday the 29th

        var starts = template.StartsBetween(friday, friday.AddDays(7), madrid).ToList();

        Assert.Equal(
            [
                new DateTimeOffset(2026, 3, 30, 18, 0, 0, TimeSpan.Zero), // Monday 20:00 CEST
                new DateTimeOffset(2026, 3, 31, 18, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 4, 1, 18, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 4, 2, 18, 0, 0, TimeSpan.Zero),
            ], starts);
    }
}
