using System.Globalization;
using System.Text;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Payouts;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Payouts;

/// <summary>
/// A batch's transfers as UTF-8 CSV (with BOM, so spreadsheets read Chinese names) for the bank or for paying by WeChat:
/// one row per included partner, held-back ones left out, with the reference to put on each transfer; formula-safe.
/// </summary>
public sealed class PayoutCsvExporter(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    public static readonly string[] Columns = ["name", "phone", "amount", "currency", "reference"];

    public async Task<Result<int>> ExportAsync(Actor actor, Guid payoutId, Stream output, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("payouts");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var payout = await PayoutService.DetailsAsync(db, payoutId, ct);
        if (payout is null)
        {
            return Failure.NotFound("The payout");
        }

        if (payout.Status == PayoutStatus.Cancelled)
        {
            return Failure.Conflict("payout_cancelled", "The payout was cancelled: there is nothing to transfer.");
        }

        var amountFormat = Currencies.MinorUnit(payout.Currency) == 1m ? "0" : "0.00";
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await using var csv = CsvWriter.Create(writer, new CsvWriterOptions(), leaveOpen: true);
        await csv.WriteRecordAsync(Columns, ct); // async all the way: response bodies refuse sync writes
        var count = 0;
        foreach (var item in payout.Items.Where(i => i.Status == PayoutItemStatus.Included))
        {
            await csv.WriteRecordAsync(
            [
                CsvSafety.Defuse(item.Name),
                CsvSafety.Defuse(item.Phone),
                item.Amount.ToString(amountFormat, CultureInfo.InvariantCulture),
                payout.Currency,
                item.Reference,
            ], ct);
            count++;
        }

        await csv.FlushAsync(ct);
        return count;
    }
}
