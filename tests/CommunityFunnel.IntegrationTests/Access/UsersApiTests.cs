using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommunityFunnel.Application.Access;
using CommunityFunnel.IntegrationTests.Infrastructure;
using static CommunityFunnel.IntegrationTests.Infrastructure.TestData;

namespace CommunityFunnel.IntegrationTests.Access;

/// <summary>The account administration part of /api/v1, exactly as integrations call it.</summary>
public sealed class UsersApiTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    [Fact]
    public async Task CreateUser_WithoutPassword_ReturnsAOneTimeSetupUrl_ThatSetsThePasswordOnce()
    {
        var response = await Api.PostAsJsonAsync("/api/v1/users", new { email = "new@test.local", role = "Operator" }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["id", "email", "role", "setupUrl"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("new@test.local", "Operator"), (body.GetProperty("email").GetString(), body.GetProperty("role").GetString()));
        var setupUrl = new Uri(body.GetProperty("setupUrl").GetString()!);
        Assert.Equal(Database.App.BaseAddress.Authority, setupUrl.Authority);
        Assert.Equal("/account/setup", setupUrl.AbsolutePath);

        var browser = Database.App.CookieClient();
        var fields = new Dictionary<string, string> { ["Input.NewPassword"] = "chosen-password-1", ["Input.ConfirmPassword"] = "chosen-password-1" };
        var (_, done) = await AccountForms.PostAsync(browser, setupUrl.PathAndQuery, "setup-password", fields);
        Assert.Contains("data-testid=\"password-set\"", done, StringComparison.Ordinal);
        var (_, reused) = await AccountForms.PostAsync(browser, setupUrl.PathAndQuery, "setup-password", fields);
        Assert.Contains("already used", reused, StringComparison.Ordinal);

        await CommunityFunnelAppFactory.SignInAsync(browser, "new@test.local", "chosen-password-1");
        await AccountForms.AssertSignedInAsync(browser);
    }

    [Fact]
    public async Task CreateUser_WithPassword_HasNoSetupUrl_AndBadInputGetsAStableCode()
    {
        var created = await Api.PostAsJsonAsync("/api/v1/users", new { email = "admin2@test.local", role = "Admin", password = "a-long-enough-password" }, Ct);
        var badEmail = await Api.PostAsJsonAsync("/api/v1/users", new { email = "not an email", role = "Operator" }, Ct);
        var badRole = await Api.PostAsJsonAsync("/api/v1/users", new { email = "x@test.local", role = "Owner" }, Ct);
        var shortPassword = await Api.PostAsJsonAsync("/api/v1/users", new { email = "y@test.local", role = "Operator", password = "short" }, Ct);
        var duplicate = await Api.PostAsJsonAsync("/api/v1/users", new { email = "admin2@test.local", role = "Operator" }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False((await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("setupUrl", out _));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_email"), await ProblemAsync(badEmail));
        Assert.Equal((HttpStatusCode.BadRequest, "unknown_role"), await ProblemAsync(badRole));
        Assert.Equal((HttpStatusCode.BadRequest, "PasswordTooShort"), await ProblemAsync(shortPassword));
        Assert.Equal((HttpStatusCode.Conflict, "duplicate_email"), await ProblemAsync(duplicate));
    }

    [Fact]
    public async Task Groups_DisableEnable_AndKeys_WorkForAdmins()
    {
        var group = await _data.GroupAsync();
        var op = await _data.OperatorAsync("op@test.local");

        var groups = await Api.PutAsJsonAsync($"/api/v1/users/{op.Id}/groups", new { groupIds = new[] { group } }, Ct);
        Assert.Equal(HttpStatusCode.OK, groups.StatusCode);
        Assert.Equal(group, (await groups.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("groupIds")[0].GetGuid());

        var keyResponse = await Api.PostAsJsonAsync("/api/v1/api-keys", new { userId = op.Id, name = "Zapier" }, Ct);
        Assert.Equal(HttpStatusCode.Created, keyResponse.StatusCode);
        var key = await keyResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["id", "key"], key.EnumerateObject().Select(p => p.Name));
        var asOperator = Database.App.ApiClient(key.GetProperty("key").GetString());
        Assert.Equal(1, (await asOperator.GetFromJsonAsync<JsonElement>("/api/v1/groups", Ct)).GetProperty("items").GetArrayLength());

        var disabled = await Api.PostAsync($"/api/v1/users/{op.Id}/disable", null, Ct);
        Assert.True((await disabled.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await asOperator.GetAsync("/api/v1/groups", Ct)).StatusCode);
        var enabled = await Api.PostAsync($"/api/v1/users/{op.Id}/enable", null, Ct);
        Assert.False((await enabled.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await asOperator.GetAsync("/api/v1/groups", Ct)).StatusCode);

        var deleted = await Api.DeleteAsync($"/api/v1/api-keys/{key.GetProperty("id").GetGuid()}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asOperator.GetAsync("/api/v1/groups", Ct)).StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), await ProblemAsync(await Api.DeleteAsync($"/api/v1/api-keys/{Guid.NewGuid()}", Ct)));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), await ProblemAsync(await Api.PostAsync("/api/v1/users/nobody/disable", null, Ct)));
        Assert.Equal((HttpStatusCode.BadRequest, "unknown_user"), await ProblemAsync(await Api.PostAsJsonAsync("/api/v1/api-keys", new { userId = "nobody", name = "x" }, Ct)));
    }

    [Fact]
    public async Task Operators_Get403_OnEveryAccountEndpoint()
    {
        var op = await _data.OperatorAsync("op@test.local");
        var key = Succeeded(await Database.Get<ApiKeyService>().CreateForUserAsync(Admin, op.Id, "Zapier", Ct));
        var asOperator = Database.App.ApiClient(key.Secret);

        var responses = new[]
        {
            await asOperator.GetAsync("/api/v1/users?cursor=garbage", Ct),
            await asOperator.PostAsJsonAsync("/api/v1/users", new { email = "x@test.local", role = "Admin" }, Ct),
            await asOperator.PutAsJsonAsync($"/api/v1/users/{op.Id}/groups", new { groupIds = Array.Empty<Guid>() }, Ct),
            await asOperator.PostAsync($"/api/v1/users/{op.Id}/disable", null, Ct),
            await asOperator.PostAsync($"/api/v1/users/{op.Id}/enable", null, Ct),
            await asOperator.PostAsJsonAsync("/api/v1/api-keys", new { userId = op.Id, name = "Mine" }, Ct),
            await asOperator.DeleteAsync($"/api/v1/api-keys/{key.Id}", Ct),
        };

        foreach (var response in responses)
        {
            Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), await ProblemAsync(response));
        }
    }

    [Fact]
    public async Task ListUsers_PagesByCursor_InAStableOrder_AndClampsTheLimit()
    {
        await using (var db = await Database.CreateDbContextAsync())
        {
            for (var i = 0; i < 204; i++)
            {
                db.Users.Add(new ApplicationUser { UserName = $"user{i}@test.local", Email = $"user{i}@test.local", DisplayName = $"User {i}" });
            }

            await db.SaveChangesAsync(Ct);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/users?limit=70&cursor={Uri.EscapeDataString(cursor ?? "")}", Ct);
            Assert.Equal(["items", "nextCursor"], page.EnumerateObject().Select(p => p.Name));
            Assert.True(page.GetProperty("items").GetArrayLength() <= 70);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(205, seen.Count); // 204 and the admin
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var clamped = await Api.GetFromJsonAsync<JsonElement>("/api/v1/users?limit=100000", Ct);
        Assert.Equal(200, clamped.GetProperty("items").GetArrayLength());
        Assert.Equal(seen.Take(200), clamped.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetString()!));
    }

    [Theory]
    [InlineData("garbage!!")]
    [InlineData("bnVsbA")] // "null"
    [InlineData("eyJBdCI6MX0")] // {"At":1}: another list's position
    [InlineData("e30")] // {}
    [InlineData("eyJJZCI6NX0")] // {"Id":5}
    public async Task ListUsers_WithABadCursor_Is400InvalidCursor(string cursor)
    {
        var response = await Api.GetAsync($"/api/v1/users?cursor={cursor}", Ct);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_cursor"), await ProblemAsync(response));
    }

    [Fact]
    public async Task ListUsers_WithAZeroLimit_Is400InvalidLimit() =>
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_limit"), await ProblemAsync(await Api.GetAsync("/api/v1/users?limit=0", Ct)));

    private static async Task<(HttpStatusCode, string?)> ProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{response.StatusCode}: {text}");
        return (response.StatusCode, JsonDocument.Parse(Encoding.UTF8.GetBytes(text)).RootElement.GetProperty("code").GetString());
    }
}
