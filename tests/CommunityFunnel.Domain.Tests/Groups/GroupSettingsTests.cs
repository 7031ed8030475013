using CommunityFunnel.Domain.Groups;

namespace CommunityFunnel.Domain.Tests.Groups;

public sealed class GroupSettingsTests
{
    [Fact]
    public void Validate_AcceptsEmojiAndRightToLeftNames_AndDefaults()
    {
        var (settings, errors) = GroupSettings.Validate("  مجموعة الشاي 🍵 上海  ", ChatPlatform.WeCom, "Asia/Shanghai", null, null, null, ["  Be kind  ", "", "不要发广告"]);

        Assert.Empty(errors);
        Assert.Equal("مجموعة الشاي 🍵 上海", settings.Name);
        Assert.Equal(("CNY", 500), (settings.Currency, settings.Capacity));
        Assert.Equal(["Be kind", "不要发广告"], settings.Rules);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("China Standard Time")]
    [InlineData("+08:00")]
    [InlineData("")]
    public void Validate_RefusesUnknownOrNonIanaTimeZones(string zone)
    {
        var (_, errors) = GroupSettings.Validate("Tea", ChatPlatform.WeCom, zone, "CNY", 500, null, null);

        Assert.Contains(errors, e => e.Field == "timeZone");
    }

    [Fact]
    public void Validate_ReportsEmptyAndOverlongNames_AndControlCharacters()
    {
        Assert.Contains(GroupSettings.Validate("   ", ChatPlatform.Other, "UTC", "EUR", 10, null, null).Errors, e => e.Code == "name_required");
        Assert.Contains(GroupSettings.Validate(new string('名', 500), ChatPlatform.Other, "UTC", "EUR", 10, null, null).Errors, e => e.Code == "name_too_long");
        Assert.Contains(GroupSettings.Validate("Tea\u0000", ChatPlatform.Other, "UTC", "EUR", 10, null, null).Errors, e => e.Code == "invalid_characters");
    }

    [Fact]
    public void Validate_RefusesUnknownCurrencyAndImpossibleCapacity()
    {
        var (_, errors) = GroupSettings.Validate("Tea", ChatPlatform.Other, "Europe/Madrid", "EURO", 0, null, null);

        Assert.Contains(errors, e => e.Code == "unknown_currency" && e.Field == "currency");
        Assert.Contains(errors, e => e.Code == "invalid_capacity" && e.Field == "capacity");
    }
}

public sealed class GroupLanguageTests
{
    [Theory]
    [InlineData("Asia/Shanghai", null, "zh-Hans")]
    [InlineData("Asia/Taipei", null, "zh-Hant")]
    [InlineData("Europe/Madrid", null, "es")]
    [InlineData("Europe/Madrid", "EN", "en")]
    [InlineData("America/New_York", "zh-hans", "zh-Hans")]
    public void TheLanguage_DefaultsFromTheTimeZone_AndCanBeChosen(string zone, string? language, string expected)
    {
        var (settings, errors) = GroupSettings.Validate("Tea", ChatPlatform.WeCom, zone, "CNY", null, null, null, language);

        Assert.Empty(errors);
        Assert.Equal(expected, settings.Language);
    }

    [Fact]
    public void AnUnknownLanguage_IsRefused()
    {
        var (_, errors) = GroupSettings.Validate("Tea", ChatPlatform.WeCom, "UTC", "EUR", null, null, null, "klingon");

        Assert.Equal("unknown_language", Assert.Single(errors).Code);
    }
}
