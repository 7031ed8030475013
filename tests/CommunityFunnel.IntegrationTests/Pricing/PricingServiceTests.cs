using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Pricing;

public sealed class PricingServiceTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private PricingService Pricing => Database.Get<PricingService>();

    private static BandInput[] Bands(decimal lowMax, decimal midMin, decimal highMin) =>
        [new(FunnelStage.Low, 1, lowMax), new(FunnelStage.Mid, midMin, highMin), new(FunnelStage.High, highMin, null)];

    [Fact]
    public async Task SaveLadderAsync_RefusesOverlappingBands_AndChangesNothing()
    {
        var result = await Pricing.SaveLadderAsync(TestData.Admin, "CNY", Bands(lowMax: 150, midMin: 100, highMin: 3000), Ct);

        Assert.Equal(("bands_overlap", "mid.min"), (result.Failure?.Code, result.Failure?.Violations[0].Field));
        var cny = (await Pricing.ListLaddersAsync(Ct)).Single(l => l.Currency == "CNY");
        Assert.Equal(TierLadder.DefaultBands("CNY"), cny.Bands);
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.AuditEntries.AnyAsync(Ct));
    }

    [Fact]
    public async Task SaveLadderAsync_ReplacesTheLadder_AndAuditsOldAndNew()
    {
        var result = await Pricing.SaveLadderAsync(TestData.Admin, "cny", Bands(lowMax: 200, midMin: 200, highMin: 5000), Ct);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var saved = (await Pricing.FindLadderAsync("CNY", Ct))!;
        Assert.Equal(FunnelStage.Low, saved.TierOf(199));
        Assert.Equal(FunnelStage.High, saved.TierOf(5000));
        await using var db = await Database.CreateDbContextAsync();
        var entry = await db.AuditEntries.SingleAsync(Ct);
        Assert.Equal(("ladder.saved", "Test Admin"), (entry.Action, entry.Actor));
        Assert.Contains("3000", entry.Details, StringComparison.Ordinal);
        Assert.Contains("5000", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveLadderAsync_RefusesBands_ThatWouldStrandExistingProducts()
    {
        await _data.ProductAsync(FunnelStage.Mid, 399m);

        var result = await Pricing.SaveLadderAsync(TestData.Admin, "CNY", Bands(lowMax: 500, midMin: 500, highMin: 3000), Ct);

        Assert.Equal("products_outside_band", result.Failure?.Code);
        Assert.Contains("399", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PricingChanges_AreForbidden_ForOperators()
    {
        var op = await _data.OperatorAsync("op@test.local");

        Assert.Equal(FailureKind.Forbidden, (await Pricing.SaveLadderAsync(op, "CNY", Bands(100, 100, 3000), Ct)).Failure?.Kind);
        Assert.Equal(FailureKind.Forbidden, (await Pricing.SaveSharingRuleAsync(op, SharingEntryMode.ReferredPayers, 3, Ct)).Failure?.Kind);
        Assert.Equal(FailureKind.Forbidden, (await Database.Get<ProductService>().CreateAsync(op, new ProductInput("Tea", null, FunnelStage.Low, 9.9m, null, ProductKind.Profit), Ct)).Failure?.Kind);
    }

    [Fact]
    public async Task SaveLadderAsync_AddsANewCurrency_ThatProductsCanThenUse()
    {
        var before = await Database.Get<ProductService>().CreateAsync(TestData.Admin, new ProductInput("Tea", null, FunnelStage.Low, 5m, "GBP", ProductKind.Profit), Ct);
        await Pricing.SaveLadderAsync(TestData.Admin, "GBP", [new(FunnelStage.Low, 1, 20), new(FunnelStage.Mid, 20, 300), new(FunnelStage.High, 300, null)], Ct);
        var after = await Database.Get<ProductService>().CreateAsync(TestData.Admin, new ProductInput("Tea", null, FunnelStage.Low, 5m, "GBP", ProductKind.Profit), Ct);

        Assert.Equal("no_price_ladder", before.Failure?.Code);
        Assert.True(after.Succeeded);
    }
}
