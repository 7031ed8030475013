using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Api;

/// <summary>Page numbers and sizes from callers: out of range is a 400 problem, never an overflow into a 500.</summary>
public sealed class PagingTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    [Theory]
    [InlineData("page=50000000", "page")]
    [InlineData("page=50000000&pageSize=200", "page")]
    [InlineData("page=42949674&pageSize=50", "page")] // the first page whose offset passes int.MaxValue
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=-2147483648", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=-2147483648", "pageSize")]
    public async Task MembersList_RefusesAPageOutOfRange_WithAProblemNotA500(string paging, string field)
    {
        var group = await _data.GroupAsync();
        await _data.MemberAsync(group);

        var response = await Api.GetAsync($"/api/v1/groups/{group}/members?{paging}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("page_out_of_range", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    [Theory]
    [InlineData("page=42949673&pageSize=50")] // the last page whose offset fits: empty, as every page past the end
    [InlineData("page=7&pageSize=2")]
    [InlineData("page=2147483647&pageSize=1")]
    public async Task MembersList_AnswersAPagePastTheEnd_WithNoItems(string paging)
    {
        var group = await _data.GroupAsync();
        await _data.MemberAsync(group);

        var response = await Api.GetAsync($"/api/v1/groups/{group}/members?{paging}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((0, 1), (page.GetProperty("items").GetArrayLength(), page.GetProperty("totalCount").GetInt32()));
    }

    [Fact]
    public async Task MembersList_ClampsAHugePageSize_ToTheMaximum()
    {
        var group = await _data.GroupAsync();
        await _data.MembersAsync(group, 3);

        var page = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{group}/members?page=1&pageSize=2147483647", Ct);
        var second = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{group}/members?page=2&pageSize=2", Ct);

        Assert.Equal(3, page.GetProperty("items").GetArrayLength());
        Assert.Equal(1, second.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task MembersList_RefusesAPageThatIsNotAnInt_WithAProblem()
    {
        var group = await _data.GroupAsync();

        var response = await Api.GetAsync($"/api/v1/groups/{group}/members?page=99999999999", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(50_000_000, 50)]
    [InlineData(int.MaxValue, int.MaxValue)]
    [InlineData(-1, 25)]
    [InlineData(0, 0)]
    public async Task OrdersAndAuditLists_RefuseAPageOutOfRange(int pageIndex, int pageSize)
    {
        var group = await _data.GroupAsync();

        var orders = await Database.Get<OrderService>().ListForGroupAsync(TestData.Admin, group, pageIndex, pageSize, Ct);
        var audit = await Database.Get<AuditLog>().ListAsync(TestData.Admin, null, pageIndex, pageSize, Ct);

        Assert.Equal((FailureKind.Invalid, PageRequest.OutOfRangeCode), (orders.Failure?.Kind, orders.Failure?.Code));
        Assert.Equal((FailureKind.Invalid, PageRequest.OutOfRangeCode), (audit.Failure?.Kind, audit.Failure?.Code));
    }

    [Fact]
    public async Task OrdersAndAuditLists_ClampThePageSize()
    {
        var group = await _data.GroupAsync();
        var member = await _data.MemberAsync(group);
        await _data.OrderAsync(member, group, await _data.ProductAsync(), paid: true); // the stage change is audited

        var orders = TestData.Succeeded(await Database.Get<OrderService>().ListForGroupAsync(TestData.Admin, group, 0, int.MaxValue, Ct));
        var audit = TestData.Succeeded(await Database.Get<AuditLog>().ListAsync(TestData.Admin, null, 0, int.MaxValue, Ct));

        Assert.Single(orders.Items);
        Assert.NotEmpty(audit.Items);
    }
}
