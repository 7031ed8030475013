using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommunityFunnel.Application.Access;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.IntegrationTests.Api;

/// <summary>The /api/v1 contract external tools rely on, spoken over real HTTP with an API key.</summary>
public sealed class ApiContractTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    [Fact]
    public async Task Contract_CreatesGroupProductMemberAndOrder_AndPaymentMovesTheMemberUp()
    {
        var group = await CreatedIdAsync(await Api.PostAsJsonAsync("/api/v1/groups", new { name = "上海茶友会 🍵", timeZone = "Asia/Shanghai", currency = "CNY" }, Ct));
        var groupBody = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{group}", Ct);
        Assert.Equal("Asia/Shanghai", groupBody.GetProperty("timeZoneId").GetString());

        var product = await CreatedIdAsync(await Api.PostAsJsonAsync("/api/v1/products", new { name = "龙井礼盒", tier = "Mid", price = 399, kind = "Profit" }, Ct));

        var memberResponse = await Api.PostAsJsonAsync($"/api/v1/groups/{group}/members", new { displayName = "王小明", phone = "13800138000" }, Ct);
        Assert.Equal(HttpStatusCode.Created, memberResponse.StatusCode);
        var member = await memberResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Free", member.GetProperty("stage").GetString());
        var memberId = member.GetProperty("id").GetGuid();

        var orderResponse = await Api.PostAsJsonAsync("/api/v1/orders", new { memberId, groupId = group, productId = product, quantity = 2, unitPrice = 399 }, Ct);
        Assert.Equal(HttpStatusCode.Created, orderResponse.StatusCode);
        var order = await orderResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Pending", order.GetProperty("status").GetString());
        var orderId = order.GetProperty("id").GetGuid();

        var paid = await Api.PostAsync($"/api/v1/orders/{orderId}/pay", null, Ct);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var paidAgain = await Api.PostAsync($"/api/v1/orders/{orderId}/pay", null, Ct);
        Assert.Equal(HttpStatusCode.OK, paidAgain.StatusCode);

        var profile = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/members/{memberId}", Ct);
        Assert.Equal(("王小明", "Mid"), (profile.GetProperty("displayName").GetString(), profile.GetProperty("stage").GetString()));
        Assert.Equal(798m, profile.GetProperty("profile").GetProperty("totalPaid").GetDecimal());
        Assert.Single(profile.GetProperty("timeline").EnumerateArray());

        var refunded = await Api.PostAsync($"/api/v1/orders/{orderId}/refund", null, Ct);
        Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);
        var afterRefund = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}", Ct);
        Assert.Equal(("Refunded", "Free"), (afterRefund.GetProperty("status").GetString(), afterRefund.GetProperty("memberStage").GetString()));
    }

    [Fact]
    public async Task AddingAKnownPerson_Returns200WithTheSameId()
    {
        var group = await _data.GroupAsync();
        var first = await Api.PostAsJsonAsync($"/api/v1/groups/{group}/members", new { displayName = "Ada", externalId = "tg_ada" }, Ct);
        var second = await Api.PostAsJsonAsync($"/api/v1/groups/{group}/members", new { displayName = "Ada", externalId = "tg_ada" }, Ct);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(await IdOf(first), await IdOf(second));
    }

    [Theory]
    [InlineData("/api/v1/groups", """{"name":"Tea","timeZone":"Asia/Beijing","currency":"CNY"}""", "unknown_time_zone", "timeZone")]
    [InlineData("/api/v1/groups", """{"name":"","timeZone":"Asia/Shanghai"}""", "name_required", "name")]
    [InlineData("/api/v1/groups", """{"name":"Tea","timeZone":"Asia/Shanghai","currency":"XYZ"}""", "unknown_currency", "currency")]
    [InlineData("/api/v1/products", """{"name":"Tea","tier":"Low","price":-9.9,"kind":"Profit"}""", "price_not_positive", "price")]
    [InlineData("/api/v1/products", """{"name":"Tea","tier":"Ultra","price":9.9,"kind":"Profit"}""", "invalid_tier", "tier")]
    [InlineData("/api/v1/products", """{"name":"Tea","tier":"Mid","price":9.9,"kind":"Profit"}""", "price_outside_band", "price")]
    [InlineData("/api/v1/products", """{"name":"Tea","tier":"1","price":9.9,"kind":"Profit"}""", "invalid_tier", "tier")]
    public async Task BadInput_GetsProblemDetailsWithACodeAndTheField(string path, string json, string code, string field)
    {
        var response = await Api.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
        Assert.Empty((await Database.Get<Application.Groups.GroupService>().ListAsync(TestData.Admin, null, true, Ct)));
    }

    [Fact]
    public async Task MalformedJsonAndUnknownIds_GetProblemDetailsToo()
    {
        var malformed = await Api.PostAsync("/api/v1/groups", new StringContent("{\"name\":", Encoding.UTF8, "application/json"), Ct);
        var missing = await Api.GetAsync($"/api/v1/orders/{Guid.NewGuid()}", Ct);
        var notAGuid = await Api.GetAsync("/api/v1/members/not-a-guid", Ct);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (malformed.StatusCode, await CodeOf(malformed)));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (missing.StatusCode, await CodeOf(missing)));
        Assert.Equal(HttpStatusCode.NotFound, notAGuid.StatusCode);
    }

    [Fact]
    public async Task Requests_AreRefused_WithoutAValidKey()
    {
        var anonymous = await Database.App.ApiClient(apiKey: null).GetAsync("/api/v1/groups", Ct);
        var wrong = await Database.App.ApiClient("cf_not-a-real-key-at-all-000000").GetAsync("/api/v1/groups", Ct);

        Assert.Equal((HttpStatusCode.Unauthorized, "unauthorized"), (anonymous.StatusCode, await CodeOf(anonymous)));
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task AnOperatorKey_ActsOnlyOnItsOperatorsGroups_AndARevokedKeyStopsWorking()
    {
        var mine = await _data.GroupAsync("Mine");
        var theirs = await _data.GroupAsync("Theirs");
        var op = await _data.OperatorAsync("op@test.local", mine);
        var keys = Database.Get<ApiKeyService>();
        var key = TestData.Succeeded(await keys.CreateAsync(TestData.Admin, "Zapier", Roles.Operator, op.Id, Ct));
        var client = Database.App.ApiClient(key.Secret);

        var own = await client.GetAsync($"/api/v1/groups/{mine}", Ct);
        var other = await client.GetAsync($"/api/v1/groups/{theirs}", Ct);
        var product = await client.PostAsJsonAsync("/api/v1/products", new { name = "Tea", tier = "Low", price = 9.9, kind = "Profit" }, Ct);
        var list = (await client.GetFromJsonAsync<JsonElement>("/api/v1/groups", Ct)).GetProperty("items");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (other.StatusCode, await CodeOf(other)));
        Assert.Equal(HttpStatusCode.Forbidden, product.StatusCode);
        Assert.Equal(1, list.GetArrayLength());

        // Revoked on the instance serving the client (as an admin would, in its browser): refused at once.
        await Database.App.Services.GetRequiredService<ApiKeyService>().RevokeAsync(TestData.Admin, key.Id, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/groups/{mine}", Ct)).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheContract_AndTheBearerScheme()
    {
        var document = await new HttpClient { BaseAddress = Database.App.BaseAddress }.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var paths = document.GetProperty("paths");

        foreach (var path in new[] { "/api/v1/groups", "/api/v1/groups/{id}", "/api/v1/products", "/api/v1/groups/{groupId}/members", "/api/v1/members/{id}", "/api/v1/orders", "/api/v1/orders/{id}/pay", "/api/v1/orders/{id}/refund" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"missing {path}");
        }

        Assert.All(paths.EnumerateObject(), path => Assert.StartsWith("/api/v1/", path.Name, StringComparison.Ordinal)); // not /m/{token} or sign-out forms
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
        Assert.Contains("`Authorization: Bearer <key>`", document.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    private static async Task<Guid> CreatedIdAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.Location);
        return await IdOf(response);
    }

    private static async Task<Guid> IdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
}
