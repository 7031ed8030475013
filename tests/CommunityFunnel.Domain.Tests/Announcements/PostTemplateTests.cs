using System.Globalization;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Tests.Announcements;

public sealed class PostTemplateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero); // 20:00 in Shanghai

    private static PostContext Context(DateTimeOffset postedAt, string culture) =>
        new("周五团购 Friday group-buy", "上海茶友会", Start, TimeZones.Find("Asia/Shanghai"), "https://shop.example/gb/1", postedAt, CultureInfo.GetCultureInfo(culture));

    [Fact]
    public void Render_FillsEveryPlaceholder_InTheGroupsTimeAndLanguage()
    {
        var text = PostTemplate.Render("{event} in {group}: {starts_at}, {countdown}! {link}", Context(Start.AddDays(-2), "en"));

        Assert.Equal("周五团购 Friday group-buy in 上海茶友会: Friday 27 November 2026, 20:00, in 2 days! https://shop.example/gb/1", text);
        Assert.Equal("2026年11月27日 星期五 20:00", PostTemplate.Render("{starts_at}", Context(Start, "zh-Hans")));
    }

    [Theory]
    [InlineData(-60, "en", "in 1 hour")]
    [InlineData(-10, "en", "in 10 minutes")]
    [InlineData(0, "en", "now")]
    [InlineData(-60, "zh-Hans", "1小时后")]
    [InlineData(-4320, "zh-Hans", "3天后")]
    [InlineData(-4320, "zh-Hant", "3天後")]
    [InlineData(-10, "zh-Hant", "10分鐘後")]
    [InlineData(0, "zh-Hant", "現在")]
    [InlineData(-1440, "es", "en 1 día")]
    [InlineData(-120, "es", "en 2 horas")]
    public void Countdown_SaysHowLongIsLeft(int minutesFromStart, string culture, string expected) =>
        Assert.Equal(expected, PostTemplate.Render("{countdown}", Context(Start.AddMinutes(minutesFromStart), culture)));

    [Fact]
    public void Validate_NamesUnknownPlaceholders_AndRefusesEmptyOrOverlongText()
    {
        Assert.Equal("unknown_placeholder", Assert.Single(PostTemplate.Validate("Starts {strats_at} at {group}")).Code);
        Assert.Contains("{strats_at}", PostTemplate.Validate("{strats_at}")[0].Message, StringComparison.Ordinal);
        Assert.Equal("text_required", Assert.Single(PostTemplate.Validate("   ")).Code);
        Assert.Equal("text_too_long", Assert.Single(PostTemplate.Validate(new string('x', 5000))).Code);
        Assert.Empty(PostTemplate.Validate("🎉 {event} — {countdown} · مرحبا"));
    }
}
