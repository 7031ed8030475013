using System.Diagnostics;
using System.Text;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommunityFunnel.Bench;

/// <summary>
/// Member grid at 100,000 members in one group: the app's MemberDirectory against hand-written SQL for the same page,
/// measured in the same run on the same database. Prints p50/p95 per scenario and the ratio app/raw.
/// </summary>
internal static class MemberGridBench
{
    private const int Members = 100_000;
    private const int Rounds = 40;

    public static async Task RunAsync(BenchDatabase server, ServiceProvider services)
    {
        var admin = Actor.System;
        var groupId = (await services.GetRequiredService<GroupService>().CreateAsync(admin, new GroupInput("Bench 压测群", ChatPlatform.WeCom, "Asia/Shanghai", "CNY", 100_000, null, null), default)).Value;

        var csv = new StringBuilder("display_name,phone,tags\n");
        for (var i = 0; i < Members; i++)
        {
            csv.Append($"会员 Member {i:D6},139{i:D8},tag{i % 9}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        var importClock = Stopwatch.StartNew();
        var report = (await services.GetRequiredService<MemberCsvImporter>().ImportAsync(admin, groupId, new MemoryStream(bytes), ImportMode.AllOrNothing, default)).Value!;
        importClock.Stop();
        Console.WriteLine($"CSV import: {report.Created:N0} members ({bytes.Length / 1024.0 / 1024.0:0.0} MB) in {importClock.Elapsed.TotalSeconds:0.00} s = {report.Created / importClock.Elapsed.TotalSeconds:N0} rows/s");

        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            // Spread stages like a real funnel: 60% Free, 25% Low, 10% Mid, 4% High, 1% Sharing.
            await using var spread = new NpgsqlCommand("""
                UPDATE funnel.members SET stage = CASE
                    WHEN hashtext(id::text) % 100 BETWEEN -59 AND 59 THEN 'Free'
                    WHEN abs(hashtext(id::text) % 100) < 85 THEN 'Low'
                    WHEN abs(hashtext(id::text) % 100) < 95 THEN 'Mid'
                    WHEN abs(hashtext(id::text) % 100) < 99 THEN 'High'
                    ELSE 'Sharing' END;
                ANALYZE;
                """, connection);
            await spread.ExecuteNonQueryAsync();
        }

        var directory = services.GetRequiredService<MemberDirectory>();
        var scenarios = new (string Name, MemberQuery Query, string Where, string OrderBy)[]
        {
            ("newest first, page 1", new MemberQuery(), "", "gm.joined_at DESC, gm.member_id DESC"),
            ("name A-Z, page 1", new MemberQuery(SortBy: MemberSort.Name, Descending: false), "", "lower(m.display_name), m.id"),
            ("stage = Mid, page 1", new MemberQuery(Stage: FunnelStage.Mid), "AND m.stage = 'Mid'", "gm.joined_at DESC, gm.member_id DESC"),
            ("search digits '12345'", new MemberQuery("12345"), "AND (m.display_name ILIKE '%12345%' OR m.phone LIKE '%12345%')", "gm.joined_at DESC, gm.member_id DESC"),
            ("search phone '0004242'", new MemberQuery("0004242"), "AND (m.display_name ILIKE '%0004242%' OR m.phone LIKE '%0004242%')", "gm.joined_at DESC, gm.member_id DESC"),
            ("deep page 2,000", new MemberQuery(PageIndex: 2_000, PageSize: 25), "", "gm.joined_at DESC, gm.member_id DESC"),
        };

        Console.WriteLine();
        Console.WriteLine($"Member grid, {Members:N0} members in one group, {Rounds} rounds each (ms):");
        Console.WriteLine($"{"scenario",-24} {"raw p50",8} {"raw p95",8} {"app p50",8} {"app p95",8} {"app/raw",8}");
        foreach (var (name, query, where, orderBy) in scenarios)
        {
            var offset = query.PageIndex * query.PageSize;
            // The baseline is the best hand-written SQL: an unfiltered count needs no join.
            var count = where.Length == 0
                ? "SELECT count(*) FROM funnel.group_memberships gm WHERE gm.group_id = @g"
                : $"SELECT count(*) FROM funnel.group_memberships gm JOIN funnel.members m ON m.id = gm.member_id WHERE gm.group_id = @g {where}";
            var sql = $"""
                {count};
                SELECT m.id, m.display_name, m.phone, m.stage, gm.joined_at, m.tags
                FROM funnel.group_memberships gm JOIN funnel.members m ON m.id = gm.member_id
                WHERE gm.group_id = @g {where} ORDER BY {orderBy} LIMIT {query.PageSize} OFFSET {offset};
                """;
            var raw = await Measure.RunAsync(Rounds, async () =>
            {
                await using var connection = new NpgsqlConnection(server.ConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.AddWithValue("g", groupId);
                await using var reader = await command.ExecuteReaderAsync();
                do
                {
                    while (await reader.ReadAsync())
                    {
                    }
                }
                while (await reader.NextResultAsync());
            });
            var app = await Measure.RunAsync(Rounds, async () =>
            {
                var page = await directory.ListAsync(admin, groupId, query, default);
                if (!page.Succeeded)
                {
                    throw new InvalidOperationException(page.Failure!.Message);
                }
            });
            Console.WriteLine($"{name,-24} {raw.P50,8:0.0} {raw.P95,8:0.0} {app.P50,8:0.0} {app.P95,8:0.0} {app.P50 / raw.P50,7:0.00}x");
        }
    }
}
