using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Orders;

/// <summary>POST /api/v1/orders/{id}/refund over HTTP: retries with an Idempotency-Key, and refusals that change nothing.</summary>
public sealed class RefundApiTests(PostgresFixture database) : DatabaseTest(database)
{
    private const decimal UnitPrice = 33.33m;
    private const int Units = 3;
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        TestData.Succeeded(await Database.Get<CommissionPlans>().SaveAsync(TestData.Admin, "CNY",
            new CommissionTerms(10m, 5m, 7, null, null, IncludeTraffic: false, IncludeFlashSales: true, []), Ct));
    }

    [Fact]
    public async Task Refund_RepeatsTheFirstAnswer_WhenRetriedWithTheSameKeyAndBody()
    {
        var order = await PaidOrderAsync();

        var first = await RefundAsync(order, """{"amount":10}""", "retry-1");
        var before = await StateAsync(order);
        var retry = await RefundAsync(order, """{"amount":10.00}""", "retry-1");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, retry.StatusCode));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        var (answer, repeated) = (await BodyAsync(first), await BodyAsync(retry));
        Assert.Equal(answer.ToString(), repeated.ToString());
        Assert.Equal(("Paid", 10m), (answer.GetProperty("status").GetString(), answer.GetProperty("refundedAmount").GetDecimal()));
        var refund = Assert.Single(answer.GetProperty("refunds").EnumerateArray());
        Assert.Equal((10m, 0), (refund.GetProperty("amount").GetDecimal(), refund.GetProperty("quantity").GetInt32()));
        await using (var db = await Database.CreateDbContextAsync())
        {
            var saved = await db.OrderRefunds.SingleAsync(r => r.OrderId == order, Ct);
            Assert.Equal((saved.Id, saved.RefundedAt), (refund.GetProperty("id").GetGuid(), refund.GetProperty("createdAt").GetDateTimeOffset()));
        }

        Assert.Equal(before, await StateAsync(order));
        Assert.Equal(1, before.Refunds);
    }

    [Fact]
    public async Task Refund_RepeatsARefundOfEverythingLeft_WhenRetriedWithoutABody()
    {
        var order = await PaidOrderAsync();

        var first = await RefundAsync(order, null, "full-refund");
        var after = await StateAsync(order);
        var retry = await RefundAsync(order, null, "full-refund");

        Assert.Equal("Refunded", (await BodyAsync(first)).GetProperty("status").GetString());
        Assert.Equal((HttpStatusCode.OK, true), (retry.StatusCode, retry.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal((OrderStatus.Refunded, UnitPrice * Units, Units, 1), (after.Status, after.RefundedAmount, after.RefundedQuantity, after.Refunds));
        Assert.Equal(after, await StateAsync(order));
    }

    [Theory]
    [InlineData("""{"amount":20}""", false)]
    [InlineData("""{"quantity":1}""", false)]
    [InlineData(null, false)]
    [InlineData("""{"amount":10}""", true)]
    public async Task Refund_IsRefusedAsKeyReused_WhenTheKeyComesBackWithAnotherBodyOrOrder(string? body, bool onAnotherOrder)
    {
        var order = await PaidOrderAsync();
        var other = await PaidOrderAsync();
        Assert.Equal(HttpStatusCode.OK, (await RefundAsync(order, """{"amount":10}""", "reused-key")).StatusCode);
        var before = (await StateAsync(order), await StateAsync(other));

        var response = await RefundAsync(onAnotherOrder ? other : order, body, "reused-key");

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(before, (await StateAsync(order), await StateAsync(other)));
    }

    [Fact]
    public async Task Refund_IsRefusedAndChangesNothing_WhenTheKeyIsMalformed()
    {
        var order = await PaidOrderAsync();
        var before = await StateAsync(order);

        foreach (var key in new[] { "key with spaces", new string('k', 101) })
        {
            await AssertProblemAsync(await RefundAsync(order, """{"amount":10}""", key), HttpStatusCode.BadRequest, "invalid_idempotency_key");
        }

        Assert.Equal(before, await StateAsync(order));
        Assert.Equal(0, before.Refunds);
    }

    [Theory]
    [InlineData("""{"amount":100}""", "refund_exceeds_paid")] // 99.99 was paid
    [InlineData("""{"amount":0}""", "invalid_refund_amount")]
    [InlineData("""{"amount":-5}""", "invalid_refund_amount")]
    [InlineData("""{"amount":1.005}""", "invalid_refund_amount")]
    [InlineData("""{"quantity":0}""", "invalid_refund_quantity")]
    [InlineData("""{"quantity":-1}""", "invalid_refund_quantity")]
    [InlineData("""{"quantity":4}""", "refund_exceeds_paid")] // 3 units were bought
    [InlineData("""{"amount":10,"quantity":1}""", "amount_or_quantity")]
    public async Task Refund_IsRefusedAndChangesNothing_WhenTheRequestIsInvalid(string body, string code)
    {
        var order = await PaidOrderAsync();
        var before = await StateAsync(order);
        Assert.True(before.RebateEntries > 0, "the paid order should have earned rebates, or their absence would prove nothing");

        var response = await RefundAsync(order, body, "bad-request-key");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(before, await StateAsync(order));
        Assert.Equal(new OrderState(OrderStatus.Paid, 0m, 0, 0, before.RebateEntries), before);
    }

    [Fact]
    public async Task Refund_IsRefusedAndChangesNothing_WhenMoreUnitsAreAskedThanAreLeft()
    {
        var order = await PaidOrderAsync();
        Assert.Equal(HttpStatusCode.OK, (await RefundAsync(order, """{"quantity":2}""", null)).StatusCode);
        var before = await StateAsync(order);

        var response = await RefundAsync(order, """{"quantity":2}""", null);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "refund_exceeds_paid");
        Assert.Equal(before, await StateAsync(order));
        Assert.Equal((OrderStatus.Paid, 66.66m, 2, 1), (before.Status, before.RefundedAmount, before.RefundedQuantity, before.Refunds));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{"amount":10}""")]
    [InlineData("""{"quantity":1}""")]
    public async Task Refund_IsRefusedAsAConflict_WhenTheOrderIsNotPaid(string? body)
    {
        var (group, _, _, buyer) = await _data.ReferralChainAsync();
        var order = TestData.Succeeded(await Database.Get<OrderService>().RecordAsync(TestData.Admin,
            new OrderInput(buyer, group, await _data.ProductAsync(FunnelStage.Low, UnitPrice), Units, null), Ct)).Id;

        var response = await RefundAsync(order, body, "unpaid-key");

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "invalid_order_state");
        Assert.Equal(new OrderState(OrderStatus.Pending, 0m, 0, 0, 0), await StateAsync(order));
    }

    /// <summary>A paid order of 3 units at 33.33 by a referred member, so it earned rebates a refund would claw back.</summary>
    private async Task<Guid> PaidOrderAsync()
    {
        var (group, _, _, buyer) = await _data.ReferralChainAsync();
        var orders = Database.Get<OrderService>();
        var order = TestData.Succeeded(await orders.RecordAsync(TestData.Admin,
            new OrderInput(buyer, group, await _data.ProductAsync(FunnelStage.Low, UnitPrice), Units, null), Ct)).Id;
        TestData.Succeeded(await orders.PayAsync(TestData.Admin, order, Ct));
        return order;
    }

    private async Task<HttpResponseMessage> RefundAsync(Guid order, string? json, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{order}/refund");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await Api.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    /// <summary>Everything a refund changes: the order, its refund rows and the rebate ledger (for the order's whole chain).</summary>
    private sealed record OrderState(OrderStatus Status, decimal RefundedAmount, int RefundedQuantity, int Refunds, int RebateEntries);

    private async Task<OrderState> StateAsync(Guid orderId)
    {
        await using var db = await Database.CreateDbContextAsync();
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId, Ct);
        return new OrderState(order.Status, order.RefundedAmount, order.RefundedQuantity,
            await db.OrderRefunds.CountAsync(r => r.OrderId == orderId, Ct),
            await db.RebateEntries.CountAsync(e => e.OrderId == orderId, Ct));
    }
}
