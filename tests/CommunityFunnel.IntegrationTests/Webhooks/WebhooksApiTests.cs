using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Webhooks;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommunityFunnel.IntegrationTests.Infrastructure.TestData;

namespace CommunityFunnel.IntegrationTests.Webhooks;

/// <summary>/api/v1/webhooks exactly as external tools call it: the create contract, each refusal's code, admin keys only.</summary>
public sealed class WebhooksApiTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string Secret = "a-webhook-secret-0123456789";
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    [Fact]
    public async Task Create_Returns201WithTheId_AndTheSubscriptionAndItsDeliveriesReadBack()
    {
        var response = await Api.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/in", events = new[] { "order.paid", "member.joined" }, secret = Secret }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["id"], created.EnumerateObject().Select(p => p.Name));
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/webhooks/{id}", response.Headers.Location?.OriginalString);

        var webhook = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}", Ct);
        Assert.Equal("https://hooks.example.com/in", webhook.GetProperty("url").GetString());
        Assert.Equal(["order.paid", "member.joined"], webhook.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("…6789", webhook.GetProperty("secretHint").GetString());
        Assert.True(webhook.GetProperty("isActive").GetBoolean());
        Assert.DoesNotContain(Secret, webhook.GetRawText(), StringComparison.Ordinal);
        Assert.Equal([id], (await Api.GetFromJsonAsync<JsonElement>("/api/v1/webhooks", Ct)).EnumerateArray().Select(w => w.GetProperty("id").GetGuid()));

        var deliveries = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}/deliveries", Ct);
        Assert.Empty(deliveries.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, deliveries.GetProperty("nextCursor").ValueKind);

        await using var db = await Database.CreateDbContextAsync();
        var stored = await db.WebhookSubscriptions.SingleAsync(Ct);
        Assert.DoesNotContain(Secret, stored.ProtectedSecret, StringComparison.Ordinal); // encrypted at rest
        Assert.Equal(Secret, Database.Get<WebhookSecrets>().Unprotect(stored.ProtectedSecret));
    }

    [Theory]
    [InlineData("""{"url":"ftp://hooks.example.com/in","events":["order.paid"],"secret":"a-webhook-secret-0123456789"}""", "invalid_url", "url")]
    [InlineData("""{"url":"hooks.example.com/in","events":["order.paid"],"secret":"a-webhook-secret-0123456789"}""", "invalid_url", "url")]
    [InlineData("""{"events":["order.paid"],"secret":"a-webhook-secret-0123456789"}""", "invalid_url", "url")]
    [InlineData("""{"url":"https://hooks.example.com/in","events":[],"secret":"a-webhook-secret-0123456789"}""", "events_required", "events")]
    [InlineData("""{"url":"https://hooks.example.com/in","secret":"a-webhook-secret-0123456789"}""", "events_required", "events")]
    [InlineData("""{"url":"https://hooks.example.com/in","events":["order.paid","order.shipped"],"secret":"a-webhook-secret-0123456789"}""", "unknown_event", "events")]
    [InlineData("""{"url":"https://hooks.example.com/in","events":["order.paid"]}""", "secret_required", "secret")]
    [InlineData("""{"url":"https://hooks.example.com/in","events":["order.paid"],"secret":"   "}""", "secret_required", "secret")]
    [InlineData("""{"url":"https://hooks.example.com/in","events":["order.paid"],"secret":"too-short"}""", "secret_too_short", "secret")]
    public async Task Create_RefusesBadInput_WithItsCodeAndField_AndWritesNothing(string json, string code, string field)
    {
        var response = await Api.PostAsync("/api/v1/webhooks", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors names {field}");
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Create_RefusesPrivateAddresses_UnlessChannelsAllowPrivateAddresses()
    {
        await using var strict = new CommunityFunnelAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Channels:AllowPrivateAddresses"] = "false" });
        using var api = strict.ApiClient();

        foreach (var url in new[] { "http://127.0.0.1:8080/in", "http://localhost/in", "https://10.1.2.3/in", "http://192.168.1.10/in", "http://[::1]/in", "http://169.254.169.254/latest" })
        {
            var response = await api.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "order.paid" }, secret = Secret }, Ct);
            Assert.Equal((HttpStatusCode.BadRequest, "private_address"), await ProblemAsync(response));
        }

        await AssertNothingWrittenAsync();
        var allowed = await Api.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:8080/in", events = new[] { "order.paid" }, secret = Secret }, Ct);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode); // the shared test app allows them (Channels:AllowPrivateAddresses=true)
    }

    [Fact]
    public async Task AnOperatorKey_GetsForbidden_AndChangesNothing()
    {
        var group = await _data.GroupAsync();
        var op = await _data.OperatorAsync("op@test.local", group);
        var key = Succeeded(await Database.Get<ApiKeyService>().CreateForUserAsync(Admin, op.Id, "Operator key", Ct));
        var webhook = Succeeded(await Database.Get<WebhookService>().CreateAsync(Admin, new WebhookInput("https://hooks.example.com/in", ["order.paid"], Secret), Ct));
        using var api = Database.App.ApiClient(key.Secret);

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), await ProblemAsync(
            await api.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/other", events = new[] { "order.paid" }, secret = Secret }, Ct)));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), await ProblemAsync(await api.GetAsync($"/api/v1/webhooks/{webhook}/deliveries", Ct)));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), await ProblemAsync(await api.PostAsync($"/api/v1/webhooks/{webhook}/disable", null, Ct)));
        Assert.True(Succeeded(await Database.Get<WebhookService>().GetAsync(Admin, webhook, Ct)).IsActive);
    }

    [Fact]
    public async Task Deliveries_PageInEventOrder_FilterByStatus_AndSendAgainRequeuesOne()
    {
        var webhook = Succeeded(await Database.Get<WebhookService>().CreateAsync(Admin, new WebhookInput("https://hooks.example.com/in", ["member.joined"], Secret), Ct));
        var group = await _data.GroupAsync();
        await _data.MembersAsync(group, 3);
        await Database.Get<OutboxRelay>().DrainAsync(Ct);
        await using (var db = await Database.CreateDbContextAsync())
        {
            await db.WebhookDeliveries.Take(1).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Failed), Ct); // as after 3 days of failures
        }

        var first = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{webhook}/deliveries?limit=2", Ct);
        var rest = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{webhook}/deliveries?limit=2&cursor={first.GetProperty("nextCursor").GetString()}", Ct);
        var failed = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{webhook}/deliveries?status=failed", Ct);
        var badStatus = await Api.GetAsync($"/api/v1/webhooks/{webhook}/deliveries?status=lost", Ct);
        var unknown = await Api.GetAsync($"/api/v1/webhooks/{Guid.NewGuid()}/deliveries", Ct);

        var events = first.GetProperty("items").EnumerateArray().Concat(rest.GetProperty("items").EnumerateArray()).Select(d => d.GetProperty("eventId").GetGuid()).ToList();
        Assert.Equal(3, events.Distinct().Count());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);
        var failedOne = Assert.Single(failed.GetProperty("items").EnumerateArray());
        Assert.Equal("Failed", failedOne.GetProperty("status").GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "unknown_status"), await ProblemAsync(badStatus));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), await ProblemAsync(unknown));

        var eventId = failedOne.GetProperty("eventId").GetGuid();
        var again = await Api.PostAsync($"/api/v1/webhooks/{webhook}/deliveries/{eventId}/redeliver", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var requeued = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Pending", requeued.GetProperty("delivery").GetProperty("status").GetString());
        Assert.Equal(eventId, JsonDocument.Parse(requeued.GetProperty("body").GetString()!).RootElement.GetProperty("id").GetGuid());
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), await ProblemAsync(await Api.PostAsync($"/api/v1/webhooks/{webhook}/deliveries/{Guid.NewGuid()}/redeliver", null, Ct)));
    }

    private async Task AssertNothingWrittenAsync()
    {
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(0, await db.WebhookSubscriptions.CountAsync(Ct));
    }

    private static async Task<(HttpStatusCode, string?)> ProblemAsync(HttpResponseMessage response) =>
        (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
}
