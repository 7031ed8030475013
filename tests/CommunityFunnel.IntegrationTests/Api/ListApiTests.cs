using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Api;

/// <summary>The list endpoints integrations page through: a stable order, cursors, clamps, and only the caller's groups.</summary>
public sealed class ListApiTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task Groups_PageInIdOrder_WithoutGapsOrRepeats_AndAnOperatorSeesOnlyTheirs()
    {
        var created = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await _data.GroupAsync($"Group {i}"));
        }

        var seen = await AllPagesAsync(Database.App.ApiClient(), "/api/v1/groups", limit: 2);
        var op = await _data.OperatorAsync("op@test.local", created[1], created[3]);
        var asOperator = await AllPagesAsync(await OperatorClientAsync(op), "/api/v1/groups", limit: 1);

        Assert.Equal(created.Order(), seen.Ids); // by id: UUIDv7, creation order to the millisecond
        Assert.Equal(3, seen.Pages);
        Assert.Equal(Sorted(created[1], created[3]), asOperator.Ids);
    }

    [Fact]
    public async Task Orders_FilterByGroupMemberAndStatus_AndNeverShowAnotherGroupsOrders()
    {
        var mine = await _data.GroupAsync("Mine");
        var theirs = await _data.GroupAsync("Theirs");
        var product = await _data.ProductAsync(FunnelStage.Low, 9.9m);
        var ada = await _data.MemberAsync(mine, "Ada", "13800000001");
        await _data.MemberAsync(theirs, "Ada", "13800000001"); // the same person in both groups
        var bob = await _data.MemberAsync(mine, "Bob");
        var paid = await _data.OrderAsync(ada, mine, product, paid: true);
        var pending = await _data.OrderAsync(bob, mine, product);
        var elsewhere = await _data.OrderAsync(ada, theirs, product, paid: true);
        var api = await OperatorClientAsync(await _data.OperatorAsync("op@test.local", mine));

        Assert.Equal(Sorted(paid, pending), (await AllPagesAsync(api, "/api/v1/orders", limit: 50)).Ids);
        Assert.Equal([paid], (await AllPagesAsync(api, $"/api/v1/orders?memberId={ada}", limit: 50)).Ids);
        Assert.Equal([pending], (await AllPagesAsync(api, "/api/v1/orders?status=pending", limit: 50)).Ids);
        Assert.Equal(Sorted(paid, elsewhere), (await AllPagesAsync(Database.App.ApiClient(), $"/api/v1/orders?memberId={ada}&status=Paid", limit: 1)).Ids);
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), await ProblemAsync(api, $"/api/v1/orders?groupId={theirs}"));
        Assert.Equal((HttpStatusCode.BadRequest, "unknown_status"), await ProblemAsync(api, "/api/v1/orders?status=Shipped"));
    }

    [Fact]
    public async Task FlashSalesAndProducts_PageToo()
    {
        var mine = await _data.GroupAsync("Mine");
        var theirs = await _data.GroupAsync("Theirs");
        var sales = new[] { await _data.FlashSaleAsync(mine), await _data.FlashSaleAsync(theirs), await _data.FlashSaleAsync(mine) };
        var api = await OperatorClientAsync(await _data.OperatorAsync("op@test.local", mine));

        Assert.Equal(Sorted(sales[0], sales[2]), (await AllPagesAsync(api, "/api/v1/flash-sales", limit: 1)).Ids);
        Assert.Equal([sales[1]], (await AllPagesAsync(Database.App.ApiClient(), $"/api/v1/flash-sales?groupId={theirs}", limit: 5)).Ids);
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), await ProblemAsync(api, $"/api/v1/flash-sales?groupId={theirs}"));
        Assert.Equal(3, (await AllPagesAsync(api, "/api/v1/products", limit: 2)).Ids.Count); // each sale made its own product
    }

    [Theory]
    [InlineData("/api/v1/groups?cursor=not-a-cursor", "invalid_cursor")]
    [InlineData("/api/v1/orders?cursor=eyJMaXN0IjoiZ3JvdXBzIn0", "invalid_cursor")] // {"List":"groups"}: cut short
    [InlineData("/api/v1/products?limit=0", "invalid_limit")]
    [InlineData("/api/v1/flash-sales?limit=-5", "invalid_limit")]
    public async Task BadCursorsAndLimits_AreProblems_NeverServerErrors(string url, string code)
    {
        Assert.Equal((HttpStatusCode.BadRequest, code), await ProblemAsync(Database.App.ApiClient(), url));
    }

    [Fact]
    public async Task AnotherListsCursor_IsRefused_AndALimitAboveTheMaximumIsClamped()
    {
        for (var i = 0; i < 3; i++)
        {
            await _data.GroupAsync($"Group {i}");
        }

        var api = Database.App.ApiClient();
        var groupsCursor = (await api.GetFromJsonAsync<JsonElement>("/api/v1/groups?limit=1", Ct)).GetProperty("nextCursor").GetString();
        var clamped = await api.GetAsync("/api/v1/groups?limit=100000", Ct);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_cursor"), await ProblemAsync(api, $"/api/v1/orders?cursor={groupsCursor}"));
        Assert.Equal(HttpStatusCode.OK, clamped.StatusCode);
        Assert.Equal(3, (await clamped.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").GetArrayLength());
    }

    private static List<Guid> Sorted(params Guid[] ids) => [.. ids.Order()];

    private async Task<HttpClient> OperatorClientAsync(Actor op) =>
        Database.App.ApiClient(TestData.Succeeded(await Database.Get<ApiKeyService>().CreateAsync(TestData.Admin, "crm", Roles.Operator, op.Id, Ct)).Secret);

    private static async Task<(List<Guid> Ids, int Pages)> AllPagesAsync(HttpClient api, string url, int limit)
    {
        var ids = new List<Guid>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var page = await api.GetFromJsonAsync<JsonElement>($"{url}{separator}limit={limit}{(cursor is null ? "" : $"&cursor={cursor}")}", Ct);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 100);

        return (ids, pages);
    }

    private static async Task<(HttpStatusCode, string?)> ProblemAsync(HttpClient api, string url)
    {
        var response = await api.GetAsync(url, Ct);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }
}
