using CommunityFunnel.Application.Groups;

namespace CommunityFunnel.IntegrationTests.Groups;

/// <summary>A group's country: taken from its zone through the tz database's zone -> country table, or chosen.</summary>
public sealed class GroupCountriesTests
{
    [Theory]
    [InlineData("Asia/Shanghai", "CN")]
    [InlineData("Europe/Berlin", "DE")]
    [InlineData("America/New_York", "US")]
    [InlineData("Europe/Madrid", "ES")]
    [InlineData("Asia/Taipei", "TW")]
    [InlineData("Europe/Amsterdam", "NL")] // a link to Brussels in the tz database, but its own country in zone.tab
    [InlineData("Asia/Calcutta", "IN")] // an old name: its canonical zone's country
    [InlineData("PRC", "CN")]
    [InlineData("UTC", null)]
    [InlineData("Etc/GMT+5", null)]
    public void FromTimeZone_FindsTheZonesCountry(string zone, string? expected) =>
        Assert.Equal(expected, GroupCountries.FromTimeZone(zone));

    [Theory]
    [InlineData(null, "Europe/Berlin", "DE")]
    [InlineData("  ", "Asia/Shanghai", "CN")]
    [InlineData("at", "Europe/Berlin", "AT")]
    [InlineData(" hk ", "Asia/Shanghai", "HK")]
    [InlineData(null, "UTC", null)]
    public void Check_TakesTheChosenCountry_OrTheZones(string? chosen, string zone, string? expected)
    {
        Assert.Null(GroupCountries.Check(chosen, zone, "country", out var country));
        Assert.Equal(expected, country);
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("DEU")]
    [InlineData("Germany")]
    [InlineData("D")]
    [InlineData("001")]
    public void Check_RefusesWhatIsNoCountryCode(string chosen)
    {
        var error = GroupCountries.Check(chosen, "Europe/Berlin", "country", out var country);

        Assert.Equal((GroupCountries.Invalid, "country"), (error?.Code, error?.Field));
        Assert.Null(country);
    }

    [Fact]
    public void Chosen_IsNull_WhenTheCountryIsJustTheZones() =>
        Assert.Equal((null, "AT"), (GroupCountries.Chosen("DE", "Europe/Berlin"), GroupCountries.Chosen("AT", "Europe/Berlin")));
}
