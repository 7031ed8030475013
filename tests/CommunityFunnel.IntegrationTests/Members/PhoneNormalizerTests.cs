using CommunityFunnel.Application.Members;

namespace CommunityFunnel.IntegrationTests.Members;

/// <summary>The one normalizer every path uses (pure: libphonenumber's metadata, no database).</summary>
public sealed class PhoneNormalizerTests
{
    [Theory]
    [InlineData("0151 9876 5432", "DE", "+4915198765432")]
    [InlineData("015198765432", "DE", "+4915198765432")]
    [InlineData("+49 (0)151 98765432", "DE", "+4915198765432")]
    [InlineData("0049 151 98765432", "DE", "+4915198765432")]
    [InlineData("138 0013-8000", "CN", "+8613800138000")]
    [InlineData("+86 138 0013 8000", "CN", "+8613800138000")]
    [InlineData("(212) 555-0100", "US", "+12125550100")]
    [InlineData("600 000 001", "ES", "+34600000001")]
    [InlineData("+34 600 000 001", "CN", "+34600000001")] // an international number is valid in any group
    [InlineData("+49 151 98765432", null, "+4915198765432")] // a group of no country takes international numbers
    public void CheckOptional_GivesE164_ReadInTheGroupsCountry(string input, string? country, string expected)
    {
        Assert.Null(PhoneNormalizer.CheckOptional(input, country, "phone", out var e164));
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData("0151 98", "DE")] // too short for Germany
    [InlineData("13800138000", "DE")] // a Chinese mobile, written without its country code, in a German group
    [InlineData("0151 9876 5432", "US")]
    [InlineData("call me", "DE")]
    [InlineData("=1+2", "DE")]
    [InlineData("1-800-FLOWERS", "US")] // letters are no one's own phone
    [InlineData("0151 9876 5432 ext. 12", "DE")] // E.164 would drop the extension silently
    [InlineData("1234567890123456789", "CN")]
    [InlineData("0151 9876 5432", null)] // no country: only international numbers
    public void CheckOptional_Refuses_WhatCannotBeAPhoneThere(string input, string? country)
    {
        var error = PhoneNormalizer.CheckOptional(input, country, "phone", out var e164);

        Assert.Equal((PhoneNormalizer.Invalid, "phone"), (error?.Code, error?.Field));
        Assert.Null(e164);
    }

    [Fact]
    public void TheRefusal_NamesTheGroupsCountry()
    {
        Assert.Contains("Germany (DE, +49)", PhoneNormalizer.CheckOptional("0151 98", "DE", "phone", out _)!.Message, StringComparison.Ordinal);
        Assert.Contains("no country", PhoneNormalizer.CheckOptional("0151 98", null, "phone", out _)!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void CheckOptional_AcceptsNoPhone(string? input)
    {
        Assert.Null(PhoneNormalizer.CheckOptional(input, "DE", "phone", out var e164));
        Assert.Null(e164);
    }

    [Fact]
    public void ExampleFor_ShowsAMobileAsPeopleThereWriteIt() =>
        Assert.Equal(("01512 3456789", null), (PhoneNormalizer.ExampleFor("DE"), PhoneNormalizer.ExampleFor(null)));
}
