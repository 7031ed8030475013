using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommunityFunnel.IntegrationTests.Sales;

/// <summary>The flash-sale and group-buy contract over real HTTP, including two app instances sharing one database.</summary>
public sealed class SalesApiTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    [Fact]
    public async Task TwoThousandConcurrentClaims_OnTwoAppInstances_SellExactlyTheStock()
    {
        var group = await _data.GroupAsync();
        var members = await _data.MembersAsync(group, 400);
        var product = await _data.ProductAsync();
        var now = DateTimeOffset.UtcNow; // the app instances run on the real clock
        var created = await Api.PostAsJsonAsync("/api/v1/flash-sales", new
        {
            groupId = group, productId = product, price = 9.9, stock = 100, perMemberLimit = 2,
            startsAt = now.AddSeconds(-5), endsAt = now.AddMinutes(10),
        }, Ct);
        var sale = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        // Each instance gets its own small pool, as separate processes would; rate limits are set for a load test.
        var settings = new Dictionary<string, string?> { ["RateLimits:ApiPerMinute"] = "100000" };
        var pool = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { MaxPoolSize = 40 }.ConnectionString;
        await using var first = new CommunityFunnelAppFactory(pool, settings);
        await using var second = new CommunityFunnelAppFactory(pool, settings);
        using var clients = new DisposableClients(first.ApiClient(), second.ApiClient());

        var claims = Enumerable.Range(0, 2000).Select(i => (Member: members[i % members.Length], Quantity: 1 + i % 2, Client: clients[i % 2])).ToList();
        var responses = await Task.WhenAll(claims.Select(c => Task.Run(() =>
            c.Client.PostAsJsonAsync($"/api/v1/flash-sales/{sale}/claims", new { memberId = c.Member, quantity = c.Quantity }, Ct))));

        Assert.DoesNotContain(responses, r => (int)r.StatusCode >= 500);
        var codes = new List<string>();
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            codes.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString()!);
        }

        Assert.All(codes, code => Assert.Contains(code, new[] { "sold_out", "limit_reached" }));
        await using var db = await Database.CreateDbContextAsync();
        var orders = await db.Orders.Where(o => o.FlashSaleId == sale).ToListAsync(Ct);
        Assert.Equal(100, orders.Sum(o => o.Quantity));
        Assert.Equal(responses.Count(r => r.StatusCode == HttpStatusCode.Created), orders.Count);
        Assert.All(orders.GroupBy(o => o.MemberId), g => Assert.True(g.Sum(o => o.Quantity) <= 2, $"member {g.Key} holds {g.Sum(o => o.Quantity)}"));
        var state = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/flash-sales/{sale}", Ct);
        Assert.Equal((0, "SoldOut"), (state.GetProperty("remaining").GetInt32(), state.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Claims_SpeakTheContract_IdempotencyKeyAndProblemCodes()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        var product = await _data.ProductAsync();
        var now = DateTimeOffset.UtcNow;
        var sale = await CreateSaleAsync(group, product, now.AddSeconds(-1), now.AddMinutes(5), stock: 3, limit: 2);
        var later = await CreateSaleAsync(group, product, now.AddHours(1), now.AddHours(2), stock: 3, limit: 2);

        var firstTry = await ClaimAsync(sale, member, 2, "order-button-1");
        var retry = await ClaimAsync(sale, member, 2, "order-button-1");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (firstTry.StatusCode, retry.StatusCode));
        var firstBody = await firstTry.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var retryBody = await retry.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(firstBody.GetProperty("orderId").GetGuid(), retryBody.GetProperty("orderId").GetGuid());
        Assert.Equal(2, firstBody.GetProperty("quantity").GetInt32());
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));

        await AssertProblemAsync(await ClaimAsync(sale, member, 1, null), HttpStatusCode.Conflict, "limit_reached");
        var other = await _data.MemberAsync(group, "Bob");
        await AssertProblemAsync(await ClaimAsync(sale, other, 2, null), HttpStatusCode.Conflict, "sold_out"); // 1 left, 2 wanted
        await AssertProblemAsync(await ClaimAsync(later, other, 1, null), HttpStatusCode.UnprocessableEntity, "not_live");
        await AssertProblemAsync(await ClaimAsync(sale, other, 0, null), HttpStatusCode.BadRequest, "invalid_quantity");

        var badSale = await Api.PostAsJsonAsync("/api/v1/flash-sales", new { groupId = group, productId = product, price = 0, stock = 0, perMemberLimit = 1, startsAt = now, endsAt = now.AddMinutes(-1) }, Ct);
        var problem = await AssertProblemAsync(badSale, HttpStatusCode.BadRequest, "price_not_positive");
        Assert.True(problem.GetProperty("errors").TryGetProperty("stock", out _));
    }

    [Fact]
    public async Task GroupBuys_SpeakTheContract_AndSettlementShowsOnTheOrders()
    {
        var group = await _data.GroupAsync();
        var members = await _data.MembersAsync(group, 3);
        var product = await _data.ProductAsync();
        var now = DateTimeOffset.UtcNow;
        var response = await Api.PostAsJsonAsync("/api/v1/group-buys", new
        {
            groupId = group, productId = product, tiers = new[] { new { participants = 2, price = 90 }, new { participants = 3, price = 85 }, new { participants = 5, price = 75 } },
            minParticipants = 2, opensAt = now.AddSeconds(-1), closesAt = now.AddHours(1),
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var groupBuy = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        foreach (var member in members)
        {
            var joined = await Api.PostAsJsonAsync($"/api/v1/group-buys/{groupBuy}/participants", new { memberId = member, quantity = 1 }, Ct);
            Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
        }

        await AssertProblemAsync(await Api.PostAsJsonAsync($"/api/v1/group-buys/{groupBuy}/participants", new { memberId = members[0], quantity = 1 }, Ct),
            HttpStatusCode.Conflict, "already_joined");
        var view = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/group-buys/{groupBuy}", Ct);
        Assert.Equal((3, 85m, "Open"), (view.GetProperty("participants").GetInt32(), view.GetProperty("currentPrice").GetDecimal(), view.GetProperty("state").GetString()));
        Assert.Equal((5, 2), (view.GetProperty("nextTier").GetProperty("participants").GetInt32(), view.GetProperty("peopleToNextTier").GetInt32()));

        var outOfOrder = await Api.PostAsJsonAsync("/api/v1/group-buys", new
        {
            groupId = group, productId = product, tiers = new[] { new { participants = 3, price = 85 }, new { participants = 2, price = 90 } },
            minParticipants = 3, opensAt = now, closesAt = now.AddHours(1),
        }, Ct);
        await AssertProblemAsync(outOfOrder, HttpStatusCode.BadRequest, "tiers_out_of_order");

        await using (var db = await Database.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE funnel.group_buys SET closes_at = now() - interval '1 second' WHERE id = {groupBuy}", Ct);
        }

        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        await Database.Get<Application.Sales.GroupBuyService>().SettleDueAsync(Ct);
        var orders = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/group-buys/{groupBuy}/orders", Ct);
        Assert.All(orders.EnumerateArray(), o => Assert.Equal((85m, nameof(OrderStatus.Pending)), (o.GetProperty("unitPrice").GetDecimal(), o.GetProperty("status").GetString())));
    }

    private async Task<Guid> CreateSaleAsync(Guid group, Guid product, DateTimeOffset startsAt, DateTimeOffset endsAt, int stock, int limit)
    {
        var response = await Api.PostAsJsonAsync("/api/v1/flash-sales", new { groupId = group, productId = product, price = 9.9, stock, perMemberLimit = limit, startsAt, endsAt }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    private async Task<HttpResponseMessage> ClaimAsync(Guid sale, Guid member, int quantity, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/flash-sales/{sale}/claims") { Content = JsonContent.Create(new { memberId = member, quantity }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await Api.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }

    private sealed class DisposableClients(params HttpClient[] clients) : IDisposable
    {
        public HttpClient this[int index] => clients[index];

        public void Dispose()
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
