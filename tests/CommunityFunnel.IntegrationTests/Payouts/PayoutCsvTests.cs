using System.Text;
using CommunityFunnel.Application.Payouts;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.IntegrationTests.Infrastructure;
using CommunityFunnel.IntegrationTests.Rebates;
using CsvHelper;

namespace CommunityFunnel.IntegrationTests.Payouts;

public sealed class PayoutCsvTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string Hyperlink = "=HYPERLINK(\"https://evil.example\",\"click\")";
    private readonly TestData _data = new(database);
    private readonly Partners _partners = new(database);

    [Fact]
    public async Task ExportAsync_WritesNamePhoneAmountCurrencyReference_OfTheIncluded_WithFormulasDefused()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var evil = await _partners.WithAvailableAsync(group, Hyperlink, 50m, phone: "138 0013 8000");
        var chinese = await _partners.WithAvailableAsync(group, "王小明", 20.5m);
        var held = await _partners.WithAvailableAsync(group, "Held back", 30m);
        var payouts = Database.Get<PayoutService>();
        var payout = TestData.Succeeded(await payouts.CreateAsync(TestData.Admin, "CNY", 20m, Ct));
        TestData.Succeeded(await payouts.HoldBackAsync(TestData.Admin, payout.Id, held, "phone number changed", Ct));

        using var output = new MemoryStream();
        var written = TestData.Succeeded(await Database.Get<PayoutCsvExporter>().ExportAsync(TestData.Admin, payout.Id, output, Ct));

        var bytes = output.ToArray();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]); // spreadsheets then read the Chinese name
        var rows = Rows(Encoding.UTF8.GetString(bytes));
        Assert.Equal(2, written);
        Assert.Equal(["name", "phone", "amount", "currency", "reference"], rows[0]);
        string Reference(Guid member) => payout.Items.Single(i => i.MemberId == member).Reference;
        Assert.Equal(
            new[] { new[] { "'" + Hyperlink, "'+8613800138000", "50.00", "CNY", Reference(evil) }, ["王小明", "", "20.50", "CNY", Reference(chinese)] }
                .OrderBy(r => r[4]),
            rows.Skip(1).OrderBy(r => r[4]));
        Assert.DoesNotContain(rows.Skip(1).SelectMany(r => r), cell => cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal));
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }

    [Fact]
    public async Task ExportAsync_WritesWholeUnits_ForACurrencyWithoutCents()
    {
        await _partners.PlanAsync("JPY");
        TestData.Succeeded(await Database.Get<PricingService>().SaveLadderAsync(TestData.Admin, "JPY",
            [.. TierLadder.DefaultBands("JPY").Select(b => new BandInput(b.Tier, b.MinPrice, b.MaxPrice))], Ct));
        var tokyo = await _data.GroupAsync("お茶", "JPY", "Asia/Tokyo");
        await _partners.WithAvailableAsync(tokyo, "Sato", 300m, "JPY");
        var payout = TestData.Succeeded(await Database.Get<PayoutService>().CreateAsync(TestData.Admin, "JPY", 100m, Ct));

        using var output = new MemoryStream();
        TestData.Succeeded(await Database.Get<PayoutCsvExporter>().ExportAsync(TestData.Admin, payout.Id, output, Ct));

        Assert.Equal(["Sato", "", "300", "JPY", payout.Items[0].Reference], Rows(Encoding.UTF8.GetString(output.ToArray()))[1]);
    }

    private static List<string[]> Rows(string text)
    {
        using var csv = CsvReader.FromText(text.TrimStart('\uFEFF'), new CsvReaderOptions());
        var rows = new List<string[]>();
        while (csv.Read())
        {
            if (rows.Count == 0)
            {
                rows.Add([.. csv.Headers]);
            }

            rows.Add([.. Enumerable.Range(0, csv.FieldCount).Select(csv.GetString)]);
        }

        return rows;
    }
}
