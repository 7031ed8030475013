using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.IntegrationTests.Infrastructure;
using CommunityFunnel.IntegrationTests.Rebates;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Payouts;

/// <summary>The payouts contract external tools rely on, over real HTTP with an API key.</summary>
public sealed class PayoutsApiTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);
    private readonly Partners _partners = new(database);

    private HttpClient Api => Database.App.ApiClient();

    [Fact]
    public async Task Create_Answers201WithIdAndItems_AndPaid_Answers200_OnceOrTwice()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var ada = await _partners.WithAvailableAsync(group, "Ada", 75.5m);
        var bo = await _partners.WithAvailableAsync(group, "Bo", 12m);

        var created = await Api.PostAsJsonAsync("/api/v1/payouts", new { currency = "CNY", minimum = 50 }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["id", "items"], body.EnumerateObject().Select(p => p.Name));
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/payouts/{id}", created.Headers.Location?.OriginalString);
        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal(["memberId", "amount"], item.EnumerateObject().Select(p => p.Name));
        Assert.Equal((ada, 75.5m), (item.GetProperty("memberId").GetGuid(), item.GetProperty("amount").GetDecimal()));

        var csv = await Api.GetAsync($"/api/v1/payouts/{id}/export.csv", Ct);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("name,phone,amount,currency,reference", (await csv.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF'), StringComparison.Ordinal);

        var paid = await Api.PostAsync($"/api/v1/payouts/{id}/paid", null, Ct);
        var paidAgain = await Api.PostAsync($"/api/v1/payouts/{id}/paid", null, Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (paid.StatusCode, paidAgain.StatusCode));
        Assert.Equal("Paid", (await paidAgain.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        await using var db = await Database.CreateDbContextAsync();
        var entry = await db.RebateEntries.SingleAsync(e => e.Kind == RebateEntryKind.PaidOut, Ct);
        Assert.Equal((ada, 75.5m), (entry.MemberId, entry.PaidOutDelta));
        Assert.Equal(12m, (await _partners.StatementAsync(bo)).Available);
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task HoldListAndGet_ShowTheBatch()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var ada = await _partners.WithAvailableAsync(group, "Ada", 30m);
        var id = (await (await Api.PostAsJsonAsync("/api/v1/payouts", new { currency = "CNY", minimum = 10 }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct))
            .GetProperty("id").GetGuid();

        var held = await Api.PostAsJsonAsync($"/api/v1/payouts/{id}/items/{ada}/hold", new { reason = "bank details missing" }, Ct);
        var noReason = await Api.PostAsJsonAsync($"/api/v1/payouts/{id}/items/{ada}/hold", new { reason = "" }, Ct);
        var paid = await Api.PostAsync($"/api/v1/payouts/{id}/paid", null, Ct);
        var details = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/payouts/{id}", Ct);
        var list = await Api.GetFromJsonAsync<JsonElement>("/api/v1/payouts", Ct);

        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "reason_required"), (noReason.StatusCode, await CodeAsync(noReason)));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "nothing_included"), (paid.StatusCode, await CodeAsync(paid)));
        var item = Assert.Single(details.GetProperty("items").EnumerateArray());
        Assert.Equal(("HeldBack", "bank details missing", "Ada"),
            (item.GetProperty("status").GetString(), item.GetProperty("holdReason").GetString(), item.GetProperty("name").GetString()));
        Assert.Equal(id, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("""{"currency":"CNY","minimum":0}""", "invalid_minimum")]
    [InlineData("""{"currency":"CNY","minimum":-10}""", "invalid_minimum")]
    [InlineData("""{"currency":"CNY"}""", "invalid_minimum")]
    [InlineData("""{"currency":"ZZZ","minimum":10}""", "unknown_currency")]
    [InlineData("""{"minimum":10}""", "unknown_currency")]
    public async Task Create_AnswersTheProblemsCode_ForBadInput_AndWritesNothing(string json, string code)
    {
        await _partners.PlanAsync();
        await _partners.WithAvailableAsync(await _data.GroupAsync(), "Ada", 30m);

        var response = await Api.PostAsync("/api/v1/payouts", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal((HttpStatusCode.BadRequest, code), (response.StatusCode, await CodeAsync(response)));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.Payouts.AnyAsync(Ct));
    }

    [Fact]
    public async Task AnOperatorsKey_IsRefused_AndNothingIsPaid()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        await _partners.WithAvailableAsync(group, "Ada", 30m);
        var op = await _data.OperatorAsync("op@test.local", group);
        using var operatorApi = Database.App.ApiClient(TestData.Succeeded(
            await Database.Get<Application.Access.ApiKeyService>().CreateAsync(TestData.Admin, "crm", Roles.Operator, op.Id, Ct)).Secret);
        var id = (await (await Api.PostAsJsonAsync("/api/v1/payouts", new { currency = "CNY", minimum = 10 }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct))
            .GetProperty("id").GetGuid();

        var create = await operatorApi.PostAsJsonAsync("/api/v1/payouts", new { currency = "CNY", minimum = 10 }, Ct);
        var paid = await operatorApi.PostAsync($"/api/v1/payouts/{id}/paid", null, Ct);
        var csv = await operatorApi.GetAsync($"/api/v1/payouts/{id}/export.csv", Ct);

        Assert.All([create, paid, csv], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal("forbidden", await CodeAsync(paid));
        Assert.Null(csv.Content.Headers.ContentDisposition);
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.RebateEntries.AnyAsync(e => e.Kind == RebateEntryKind.PaidOut, Ct));
        Assert.Equal(1, await db.Payouts.CountAsync(Ct));
    }

    [Fact]
    public async Task Paid_Answers404_ForAnUnknownPayout()
    {
        var response = await Api.PostAsync($"/api/v1/payouts/{Guid.CreateVersion7()}/paid", null, Ct);

        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (response.StatusCode, await CodeAsync(response)));
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString();
}
