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
    public async Task SaveLadderAsync_LeavesOneWholeLadder_WhenTwoChangesRunAtOnce()
    {
        var first = Bands(lowMax: 200, midMin: 200, highMin: 5000);
        var second = Bands(lowMax: 80, midMin: 90, highMin: 2000);

        for (var round = 0; round < 20; round++)
        {
            var results = await Task.WhenAll(
                Task.Run(() => Pricing.SaveLadderAsync(TestData.Admin, "GBP", first, Ct), Ct),
                Task.Run(() => Pricing.SaveLadderAsync(TestData.Admin, "GBP", second, Ct), Ct));

            Assert.All(results, r => Assert.True(r.Succeeded, r.Failure?.Message));
            var saved = (await Pricing.ListLaddersAsync(Ct)).Single(l => l.Currency == "GBP").Bands
                .Select(b => new BandInput(b.Tier, b.MinPrice, b.MaxPrice)).ToArray();
            Assert.True(saved.SequenceEqual(first) || saved.SequenceEqual(second), $"round {round}: a mixed ladder {string.Join("; ", saved)}");
        }
    }

    [Fact]
    public async Task SaveLadderAsync_KeepsTheOldLadder_WhenSavingTheNewBandsFails()
    {
        // A fault between removing the old bands and adding the new ones: the database refuses one new band.
        await using (var db = await Database.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("""
                CREATE FUNCTION funnel.test_refuse_band() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN IF NEW.min_price = 123.45 THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER test_refuse_band BEFORE INSERT ON funnel.price_bands FOR EACH ROW EXECUTE FUNCTION funnel.test_refuse_band();
                """, Ct);
        }

        try
        {
            await Assert.ThrowsAnyAsync<DbUpdateException>(() =>
                Pricing.SaveLadderAsync(TestData.Admin, "CNY", Bands(lowMax: 123.45m, midMin: 123.45m, highMin: 3000), Ct));
        }
        finally
        {
            await using var db = await Database.CreateDbContextAsync();
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER test_refuse_band ON funnel.price_bands; DROP FUNCTION funnel.test_refuse_band();", CancellationToken.None);
        }

        var cny = (await Pricing.ListLaddersAsync(Ct)).Single(l => l.Currency == "CNY");
        Assert.Equal(TierLadder.DefaultBands("CNY"), cny.Bands);
        await using var check = await Database.CreateDbContextAsync();
        Assert.False(await check.AuditEntries.AnyAsync(Ct));
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
        Assert.Equal(FailureKind.Forbidden, (await Pricing.SaveSharingRuleAsync(op, SharingRuleTerms.ReferredPayers(3), Ct)).Failure?.Kind);
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
