using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Groups;

/// <summary>A group's country, the default region of its phones: from its zone unless chosen, checked, and changeable.</summary>
public sealed class GroupCountryTests(PostgresFixture database) : DatabaseTest(database)
{
    private GroupService Groups => Database.Get<GroupService>();

    [Theory]
    [InlineData("Asia/Shanghai", null, "CN")]
    [InlineData("Europe/Berlin", null, "DE")]
    [InlineData("America/New_York", null, "US")]
    [InlineData("Europe/Berlin", "at", "AT")]
    [InlineData("UTC", null, null)]
    public async Task CreateAsync_TakesTheZonesCountry_UnlessOneIsChosen(string zone, string? chosen, string? expected)
    {
        var id = TestData.Succeeded(await Groups.CreateAsync(TestData.Admin, Input(zone, chosen), Ct));

        Assert.Equal(expected, TestData.Succeeded(await Groups.GetAsync(TestData.Admin, id, Ct)).Country);
    }

    [Fact]
    public async Task CreateAsync_RefusesAnUnknownCountry_AndSavesNothing()
    {
        var result = await Groups.CreateAsync(TestData.Admin, Input("Europe/Berlin", "Germany"), Ct);

        var violation = Assert.Single(result.Failure!.Violations);
        Assert.Equal((GroupCountries.Invalid, "country"), (violation.Code, violation.Field));
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.Groups.AnyAsync(Ct));
    }

    [Fact]
    public async Task TheApi_CreatesWithACountry_AndAnswersCountryInvalid()
    {
        using var api = Database.App.ApiClient();

        var created = await api.PostAsJsonAsync("/api/v1/groups", new { name = "Wien", timeZone = "Europe/Berlin", currency = "EUR", country = "AT" }, Ct);
        var derived = await api.PostAsJsonAsync("/api/v1/groups", new { name = "Berlin", timeZone = "Europe/Berlin", currency = "EUR" }, Ct);
        var refused = await api.PostAsJsonAsync("/api/v1/groups", new { name = "Nowhere", timeZone = "Europe/Berlin", currency = "EUR", country = "XX" }, Ct);

        Assert.Equal("AT", (await GetAsync(api, created)).GetProperty("country").GetString());
        Assert.Equal("DE", (await GetAsync(api, derived)).GetProperty("country").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(GroupCountries.Invalid, (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(2, await db.Groups.CountAsync(Ct));
    }

    [Fact]
    public async Task ThePatchApi_ChangesOnlyWhatIsGiven_AndACountryFollowsANewZoneUnlessItWasChosen()
    {
        using var api = Database.App.ApiClient();
        var derived = TestData.Succeeded(await Groups.CreateAsync(TestData.Admin, Input("Europe/Berlin", null), Ct));
        var chosen = TestData.Succeeded(await Groups.CreateAsync(TestData.Admin, Input("Europe/Berlin", "AT"), Ct));

        var moved = await PatchAsync(api, derived, new { timeZone = "Asia/Shanghai" });
        var movedChosen = await PatchAsync(api, chosen, new { timeZone = "Asia/Shanghai" });
        var set = await PatchAsync(api, derived, new { country = "hk" });
        var refused = await PatchAsync(api, derived, new { country = "XX", capacity = 7 });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest),
            (moved.StatusCode, movedChosen.StatusCode, set.StatusCode, refused.StatusCode));
        var afterMove = await moved.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("Asia/Shanghai", "CN", "Tea"), (afterMove.GetProperty("timeZoneId").GetString(), afterMove.GetProperty("country").GetString(), afterMove.GetProperty("name").GetString()));
        Assert.Equal("AT", (await movedChosen.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("country").GetString());
        Assert.Equal(GroupCountries.Invalid, (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        var after = TestData.Succeeded(await Groups.GetAsync(TestData.Admin, derived, Ct));
        Assert.Equal(("HK", Group.DefaultCapacity), (after.Country, after.Capacity)); // the refused change changed nothing
    }

    private static GroupInput Input(string zone, string? country) => new("Tea", ChatPlatform.WeCom, zone, "EUR", null, null, null, Country: country);

    private static async Task<JsonElement> GetAsync(HttpClient api, HttpResponseMessage created) =>
        await api.GetFromJsonAsync<JsonElement>(created.Headers.Location, Ct);

    private static Task<HttpResponseMessage> PatchAsync(HttpClient api, Guid group, object body) =>
        api.PatchAsJsonAsync($"/api/v1/groups/{group}", body, TestContext.Current.CancellationToken);
}
