using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Sales;

/// <summary>One flash sale or group-buy for many groups: each in its own zone and currency, overrides per group, all or nothing.</summary>
public sealed class BulkSalesTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    private async Task<(Guid Shanghai, Guid Berlin, Guid NewYork)> ThreeGroupsAsync() => (
        await _data.GroupAsync("上海茶友会", "CNY", "Asia/Shanghai"),
        await _data.GroupAsync("Berlin Tee", "EUR", "Europe/Berlin"),
        await _data.GroupAsync("NYC Tea", "USD", "America/New_York"));

    [Fact]
    public async Task CreateManyAsync_StartsAtTheLocalTimeOfEachGroup_InItsCurrency_WithItsOverrides()
    {
        var (shanghai, berlin, newYork) = await ThreeGroupsAsync();
        var (cny, eur, usd) = (await _data.ProductAsync(price: 99m), await _data.ProductAsync(price: 12.9m, currency: "EUR"), await _data.ProductAsync(price: 14.9m, currency: "USD"));

        // Friday 2026-03-27: New York is already on summer time (since 8 March), Berlin not yet (29 March).
        var input = new BulkFlashSaleInput([shanghai, berlin, newYork], cny, 79m, 50, 2,
            SaleTime.Local(new DateTime(2026, 3, 27, 20, 0, 0)), SaleTime.Local(new DateTime(2026, 3, 27, 22, 0, 0)),
            ProductOverrides: new Dictionary<Guid, Guid> { [berlin] = eur, [newYork] = usd },
            PriceOverrides: new Dictionary<Guid, decimal> { [berlin] = 9.9m, [newYork] = 11.5m });
        var outcome = TestData.Succeeded(await Database.Get<FlashSaleService>().CreateManyAsync(TestData.Admin, input, Ct));

        Assert.True(outcome.Created);
        Assert.Equal([shanghai, berlin, newYork], outcome.Results.Select(r => r.GroupId));
        Assert.All(outcome.Results, r => Assert.Null(r.Failure));
        await using var db = await Database.CreateDbContextAsync();
        var sales = await db.FlashSales.ToDictionaryAsync(s => s.Id, Ct);
        var (sh, be, ny) = (sales[outcome.Results[0].Id!.Value], sales[outcome.Results[1].Id!.Value], sales[outcome.Results[2].Id!.Value]);
        Assert.Equal(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero), sh.StartsAt); // UTC+8
        Assert.Equal(new DateTimeOffset(2026, 3, 27, 19, 0, 0, TimeSpan.Zero), be.StartsAt); // CET, UTC+1
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero), ny.StartsAt); // EDT, UTC-4
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 2, 0, 0, TimeSpan.Zero), ny.EndsAt);
        Assert.Equal(("CNY", 79m, cny), (sh.Currency, sh.Price, sh.ProductId));
        Assert.Equal(("EUR", 9.9m, eur), (be.Currency, be.Price, be.ProductId));
        Assert.Equal(("USD", 11.5m, usd), (ny.Currency, ny.Price, ny.ProductId));
        Assert.All(sales.Values, s => Assert.Equal((50, 2), (s.Stock, s.PerMemberLimit)));
    }

    [Fact]
    public async Task CreateManyAsync_CreatesNothing_WhenOneGroupCannotTakeTheSale_AndNamesNoOtherOperatorsGroup()
    {
        var (shanghai, berlin, _) = await ThreeGroupsAsync();
        var someoneElses = await _data.GroupAsync("Secret Club", "CNY", "Asia/Shanghai");
        var operatorActor = await _data.OperatorAsync("op@test.local", shanghai, berlin);
        var cny = await _data.ProductAsync(price: 99m);
        var now = Database.Clock.GetUtcNow();

        var input = new BulkFlashSaleInput([shanghai, berlin, someoneElses], cny, 79m, 50, 2, SaleTime.At(now.AddHours(1)), SaleTime.At(now.AddHours(2)));
        var outcome = TestData.Succeeded(await Database.Get<FlashSaleService>().CreateManyAsync(operatorActor, input, Ct));

        Assert.False(outcome.Created);
        Assert.Equal([shanghai, berlin, someoneElses], outcome.Results.Select(r => r.GroupId));
        Assert.All(outcome.Results, r => Assert.Null(r.Id));
        Assert.Null(outcome.Results[0].Failure); // Shanghai could, but nothing is created unless every group can
        Assert.Equal("currency_mismatch", outcome.Results[1].Failure!.Code); // a CNY product in a EUR group, without a EUR product for it
        var hidden = outcome.Results[2].Failure!;
        Assert.Equal("group_unavailable", hidden.Code);
        Assert.DoesNotContain("Secret", hidden.Message, StringComparison.Ordinal);
        var unknown = TestData.Succeeded(await Database.Get<FlashSaleService>().CreateManyAsync(operatorActor, input with { GroupIds = [shanghai, Guid.NewGuid()] }, Ct));
        Assert.Equal(hidden.Code, unknown.Results[1].Failure!.Code); // a group that does not exist answers alike
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.FlashSales.AnyAsync(Ct));
    }

    [Fact]
    public async Task CreateManyAsync_RefusesBadSharedTerms_AsOneProblem_BeforeLookingAtGroups()
    {
        var (shanghai, berlin, _) = await ThreeGroupsAsync();
        var cny = await _data.ProductAsync();
        var now = Database.Clock.GetUtcNow();

        var result = await Database.Get<FlashSaleService>().CreateManyAsync(TestData.Admin,
            new BulkFlashSaleInput([shanghai, berlin], cny, 9.9m, 0, 1, SaleTime.At(now), default, PriceOverrides: new Dictionary<Guid, decimal> { [Guid.NewGuid()] = 1m }), Ct);

        Assert.Equal(["endsAt", "priceOverrides", "stock"], result.Failure!.Violations.Select(v => v.Field!).Order());
    }

    [Fact]
    public async Task GroupBuys_ForManyGroups_TakeTheirOwnTiers_AndATierErrorNamesItsGroupAndRow()
    {
        var (shanghai, berlin, _) = await ThreeGroupsAsync();
        var (cny, eur) = (await _data.ProductAsync(price: 99m), await _data.ProductAsync(price: 12.9m, currency: "EUR"));
        var opens = SaleTime.Local(new DateTime(2026, 3, 2, 10, 0, 0));
        var closes = SaleTime.Local(new DateTime(2026, 3, 4, 20, 0, 0));
        var service = Database.Get<GroupBuyService>();
        var input = new BulkGroupBuyInput([shanghai, berlin], cny, [new GroupBuyTier(2, 90m), new GroupBuyTier(5, 75m)], 2, opens, closes,
            ProductOverrides: new Dictionary<Guid, Guid> { [berlin] = eur },
            TierOverrides: new Dictionary<Guid, IReadOnlyList<GroupBuyTier>> { [berlin] = [new GroupBuyTier(2, 11m), new GroupBuyTier(5, 12m)] });

        var rejected = TestData.Succeeded(await service.CreateManyAsync(TestData.Admin, input, Ct));
        Assert.False(rejected.Created);
        var tierError = Assert.Single(rejected.Results[1].Failure!.Violations);
        Assert.Equal(("prices_not_falling", "tiers[1]"), (tierError.Code, tierError.Field));

        var fixedTiers = input with { TierOverrides = new Dictionary<Guid, IReadOnlyList<GroupBuyTier>> { [berlin] = [new GroupBuyTier(2, 11m), new GroupBuyTier(5, 9.5m)] } };
        var created = TestData.Succeeded(await service.CreateManyAsync(TestData.Admin, fixedTiers, Ct));

        Assert.True(created.Created);
        await using var db = await Database.CreateDbContextAsync();
        var buys = await db.GroupBuys.ToDictionaryAsync(b => b.GroupId, Ct);
        Assert.Equal((new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero), "CNY", 75m), (buys[shanghai].OpensAt, buys[shanghai].Currency, buys[shanghai].Tiers[^1].Price));
        Assert.Equal((new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), "EUR", 9.5m), (buys[berlin].OpensAt, buys[berlin].Currency, buys[berlin].Tiers[^1].Price));
    }

    [Fact]
    public async Task PostFlashSales_WithGroupIds_AnswersOneResultPerGroup_201WhenAllCan_422WithEachGroupsProblemWhenOneCannot()
    {
        var (shanghai, berlin, newYork) = await ThreeGroupsAsync();
        var (cny, eur, usd) = (await _data.ProductAsync(price: 99m), await _data.ProductAsync(price: 12.9m, currency: "EUR"), await _data.ProductAsync(price: 14.9m, currency: "USD"));
        var day = DateTime.SpecifyKind(DateTime.UtcNow.Date.AddDays(10), DateTimeKind.Unspecified); // the app runs on the real clock
        var request = new Dictionary<string, object?>
        {
            ["groupIds"] = new[] { shanghai, berlin, newYork }, ["productId"] = cny, ["price"] = 79, ["stock"] = 30, ["perMemberLimit"] = 1,
            ["localStartsAt"] = $"{day:yyyy-MM-dd}T20:00", ["localEndsAt"] = $"{day:yyyy-MM-dd}T21:00",
            ["productOverrides"] = new Dictionary<Guid, Guid> { [berlin] = eur },
            ["priceOverrides"] = new Dictionary<Guid, decimal> { [berlin] = 9.9m },
        };

        var rejected = await Api.PostAsJsonAsync("/api/v1/flash-sales", request, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.StatusCode);
        var problem = await rejected.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("bulk_rejected", problem.GetProperty("code").GetString());
        var results = problem.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, results.Count);
        Assert.Equal(JsonValueKind.Null, results[0].GetProperty("problem").ValueKind);
        var newYorkProblem = results[2].GetProperty("problem");
        Assert.Equal((newYork, "currency_mismatch", 400), (results[2].GetProperty("groupId").GetGuid(), newYorkProblem.GetProperty("code").GetString(), newYorkProblem.GetProperty("status").GetInt32()));
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.False(await db.FlashSales.AnyAsync(Ct));
        }

        request["productOverrides"] = new Dictionary<Guid, Guid> { [berlin] = eur, [newYork] = usd };
        var withoutPrice = await Api.PostAsJsonAsync("/api/v1/flash-sales", request, Ct);
        var stillRejected = (await withoutPrice.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("results")[2].GetProperty("problem");
        Assert.Equal("price_required", stillRejected.GetProperty("code").GetString()); // 79 is the CNY product's price, not a USD one

        request["priceOverrides"] = new Dictionary<Guid, decimal> { [berlin] = 9.9m, [newYork] = 11.5m };
        var created = await Api.PostAsJsonAsync("/api/v1/flash-sales", request, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ids = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("groupId").GetGuid(), r => r.GetProperty("id").GetGuid());
        Assert.Equal(3, ids.Count);
        foreach (var (group, zone) in new[] { (shanghai, "Asia/Shanghai"), (berlin, "Europe/Berlin"), (newYork, "America/New_York") })
        {
            var sale = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/flash-sales/{ids[group]}", Ct);
            var local = day.AddHours(20);
            Assert.Equal(new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(local)), sale.GetProperty("startsAt").GetDateTimeOffset());
        }
    }

    [Fact]
    public async Task PostFlashSalesAndGroupBuys_WithOneGroupId_KeepTheirContract()
    {
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync();
        var now = DateTimeOffset.UtcNow;

        var sale = await Api.PostAsJsonAsync("/api/v1/flash-sales", new
        {
            groupId = group, productId = product, price = 9.9, stock = 10, perMemberLimit = 1, startsAt = now.AddHours(1), endsAt = now.AddHours(2),
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, sale.StatusCode);
        var body = await sale.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["id"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal($"/api/v1/flash-sales/{body.GetProperty("id").GetGuid()}", sale.Headers.Location!.ToString());

        var groupBuy = await Api.PostAsJsonAsync("/api/v1/group-buys", new
        {
            groupId = group, productId = product, tiers = new[] { new { participants = 2, price = 9 } }, minParticipants = 2, opensAt = now, closesAt = now.AddDays(1),
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, groupBuy.StatusCode);
        Assert.Equal(["id"], (await groupBuy.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateObject().Select(p => p.Name));

        var unknownGroup = await Api.PostAsJsonAsync("/api/v1/flash-sales", new
        {
            groupId = Guid.NewGuid(), productId = product, price = 9.9, stock = 10, perMemberLimit = 1, startsAt = now.AddHours(1), endsAt = now.AddHours(2),
        }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknownGroup.StatusCode);
        Assert.Equal("not_found", (await unknownGroup.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());

        var badStock = await Api.PostAsJsonAsync("/api/v1/flash-sales", new
        {
            groupId = group, productId = product, price = 9.9, stock = 0, perMemberLimit = 1, startsAt = now.AddHours(1), endsAt = now.AddHours(2),
        }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badStock.StatusCode);
        var badBody = await badStock.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("invalid_stock", badBody.GetProperty("code").GetString());
        Assert.True(badBody.GetProperty("errors").TryGetProperty("stock", out _));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesBothCreatedBodies_TheOneGroupIdAndTheManyGroupsResults()
    {
        var document = await new HttpClient { BaseAddress = Database.App.BaseAddress }.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        foreach (var path in new[] { "/api/v1/flash-sales", "/api/v1/group-buys" })
        {
            var created = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("responses").GetProperty("201");
            var bodies = created.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("oneOf").EnumerateArray()
                .Select(s => s.GetProperty("$ref").GetString()).ToList();
            Assert.Equal(["#/components/schemas/CreatedResponse", "#/components/schemas/BulkCreatedResponse"], bodies);
        }
    }

    [Fact]
    public async Task PostGroupBuys_WithGroupIds_AppliesTierOverridesPerGroup()
    {
        var (shanghai, berlin, _) = await ThreeGroupsAsync();
        var (cny, eur) = (await _data.ProductAsync(price: 99m), await _data.ProductAsync(price: 12.9m, currency: "EUR"));
        var day = DateTime.UtcNow.Date.AddDays(3);

        var created = await Api.PostAsJsonAsync("/api/v1/group-buys", new Dictionary<string, object?>
        {
            ["groupIds"] = new[] { shanghai, berlin }, ["productId"] = cny, ["tiers"] = new[] { new { participants = 2, price = 90 }, new { participants = 4, price = 80 } },
            ["minParticipants"] = 2, ["localOpensAt"] = $"{day:yyyy-MM-dd}T09:00", ["localClosesAt"] = $"{day.AddDays(1):yyyy-MM-dd}T21:00",
            ["productOverrides"] = new Dictionary<Guid, Guid> { [berlin] = eur },
            ["tierOverrides"] = new Dictionary<Guid, object> { [berlin] = new[] { new { participants = 2, price = 11 }, new { participants = 4, price = 10 } } },
            ["announce"] = new { teaserMinutesBefore = new[] { 30 }, liveNow = true },
        }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using var db = await Database.CreateDbContextAsync();
        var buys = await db.GroupBuys.ToDictionaryAsync(b => b.GroupId, Ct);
        Assert.Equal((80m, 10m), (buys[shanghai].Tiers[^1].Price, buys[berlin].Tiers[^1].Price));
        Assert.Equal(4, await db.SalePosts.CountAsync(Ct)); // a teaser and "open now" in each group
        var posts = await db.Posts.Where(p => p.AnnouncementId == buys[berlin].Id).Select(p => p.Text).ToListAsync(Ct);
        Assert.All(posts, text => Assert.Contains($"/me/group-buys/{buys[berlin].Id}", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostFlashSales_WithGroupIds_RefusesAnInstantAndALocalTimeTogether()
    {
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync();

        var response = await Api.PostAsJsonAsync("/api/v1/flash-sales", new
        {
            groupIds = new[] { group }, productId = product, price = 9.9, stock = 10, perMemberLimit = 1,
            startsAt = DateTimeOffset.UtcNow.AddHours(1), localStartsAt = "2030-01-01T20:00", localEndsAt = "2030-01-01 21:00 +08",
            minStage = nameof(FunnelStage.Free),
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["instant_and_local", "invalid_local_time"], problem.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("code").GetString()!).Order());
    }
}
