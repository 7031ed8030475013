using System.Globalization;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Tests.Common;

public sealed class MoneyTextTests
{
    [Theory]
    [InlineData("CNY", "CN", "zh-Hans", "¥9.90")]
    [InlineData("EUR", "DE", "en", "9,90 €")]
    [InlineData("EUR", "ES", "es", "9,90 €")]
    [InlineData("USD", "US", "en", "$9.90")]
    public void Format_WritesTheAmountAsTheGroupsCountryDoes_WhateverTheLanguage(string currency, string country, string language, string expected) =>
        Assert.Equal(expected, MoneyText.Format(9.9m, currency, country, CultureInfo.GetCultureInfo(language)).Replace('\u00a0', ' '));
}
