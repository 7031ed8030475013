using System.Globalization;
using System.Text;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Members;

/// <summary>Streams a group's members as UTF-8 CSV (with BOM, so spreadsheets read Chinese names), formula-safe.</summary>
public sealed class MemberCsvExporter(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    public async Task<Result<int>> ExportAsync(Actor actor, Guid groupId, Stream output, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await using var csv = CsvWriter.Create(writer, new CsvWriterOptions(), leaveOpen: true);
        await csv.WriteRecordAsync(["display_name", "phone", "external_id", "stage", "joined_at", "tags", "notes"], ct); // async all the way: response bodies refuse sync writes
        var rows =
            from gm in db.GroupMemberships.AsNoTracking()
            join m in db.Members on gm.MemberId equals m.Id
            where gm.GroupId == groupId
            orderby gm.JoinedAt, m.Id
            select new { m.DisplayName, m.Phone, m.ExternalId, m.Stage, gm.JoinedAt, gm.Tags, gm.Notes };
        var count = 0;
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            await csv.WriteRecordAsync(
            [
                CsvSafety.Defuse(row.DisplayName),
                CsvSafety.Defuse(row.Phone),
                CsvSafety.Defuse(row.ExternalId),
                row.Stage.ToString(),
                row.JoinedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                CsvSafety.Defuse(string.Join(';', row.Tags)),
                CsvSafety.Defuse(row.Notes),
            ], ct);
            count++;
        }

        await csv.FlushAsync(ct);
        return count;
    }
}
