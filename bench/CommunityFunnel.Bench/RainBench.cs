using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.RedEnvelopes;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.RedEnvelopes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommunityFunnel.Bench;

/// <summary>
/// Red-envelope waves of 100 packets with 500 members pressing at once, on one durable cluster: through the app's HTTP
/// claim endpoint (its own process) against the raw claim of pre-split packet rows (one statement: the SKIP LOCKED
/// update and the credit entry), alternating wave by wave in the same run. A wave's rate is its 100 packets over the
/// time from the first press to the last packet taken; every wave is checked exact (100 claimed, nobody twice, the sum
/// is the budget).
/// </summary>
internal static class RainBench
{
    private const string ApiKey = "cf_bench-rain-key-0123456789abcdef";
    private const int Members = 500;
    private const int Packets = 100;
    private const decimal Budget = 888m;
    private const int WavesEach = 5;

    private sealed record WaveResult(double ClaimsPerSecond, double P99, int Won, int Errors);

    public static async Task RunAsync(BenchDatabase server, ServiceProvider services)
    {
        var (group, members) = await SetUpAsync(services);
        await using var app = await AppProcess.StartAsync(server.ConnectionString, ApiKey);
        using var http = app.CreateApiClient();
        var rains = services.GetRequiredService<RedEnvelopeRains>();
        async Task<Guid> NewWaveAsync() =>
            (await rains.CreateAsync(Actor.System, new RainInput([group], null, DateTimeOffset.UtcNow.AddSeconds(-1), [new WaveTerms(0, Budget, Packets)],
                new RainPayout(RainPayoutKind.Credit), false), default)).Value!.Waves[0].Id;

        Console.WriteLine();
        Console.WriteLine($"Red-envelope waves: {Packets} packets, {Members} members pressing at once, {WavesEach} waves each way, alternating:");
        await WaveAsync(server, await NewWaveAsync(), members, (wave, member) => RawClaimAsync(server.ConnectionString, wave, member)); // warm-up
        await WaveAsync(server, await NewWaveAsync(), members, (wave, member) => AppClaimAsync(http, wave, member));
        var raw = new List<WaveResult>();
        var viaApp = new List<WaveResult>();
        for (var i = 0; i < WavesEach; i++)
        {
            raw.Add(await WaveAsync(server, await NewWaveAsync(), members, (wave, member) => RawClaimAsync(server.ConnectionString, wave, member)));
            viaApp.Add(await WaveAsync(server, await NewWaveAsync(), members, (wave, member) => AppClaimAsync(http, wave, member)));
        }

        var bestRaw = raw.Max(r => r.ClaimsPerSecond);
        Console.WriteLine("  wave | raw claims/s  p99 ms | app claims/s  p99 ms | app/best raw");
        for (var i = 0; i < WavesEach; i++)
        {
            Console.WriteLine($"  {i + 1,4} | {raw[i].ClaimsPerSecond,12:0}  {raw[i].P99,6:0} | {viaApp[i].ClaimsPerSecond,12:0}  {viaApp[i].P99,6:0} | {viaApp[i].ClaimsPerSecond / bestRaw,11:0.00}x"
                + (raw[i].Errors + viaApp[i].Errors > 0 ? $"  ({raw[i].Errors + viaApp[i].Errors} errors)" : ""));
        }

        var median = viaApp.Select(r => r.ClaimsPerSecond).Order().ElementAt(WavesEach / 2);
        Console.WriteLine($"  app median {median:0} claims/s = {median / bestRaw:0.00}x the best raw wave (target >= 0.6x); app p99 at most {viaApp.Max(r => r.P99):0} ms (target <= 1000)");
    }

    private static async Task<(Guid Group, Guid[] Members)> SetUpAsync(ServiceProvider services)
    {
        var group = (await services.GetRequiredService<GroupService>().CreateAsync(Actor.System,
            new GroupInput("Bench 红包群", ChatPlatform.WeCom, "Asia/Shanghai", "CNY", 100_000, null, null), default)).Value;
        var memberService = services.GetRequiredService<MemberService>();
        var members = new Guid[Members];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = (await memberService.AddToGroupAsync(Actor.System, group, new MemberInput($"Member {i:D3}", ExternalId: $"rain-{i}"), default)).Value!.Id;
        }

        return (group, members);
    }

    /// <summary>Every member presses once, all at once; the wave is timed until its last packet is taken.</summary>
    private static async Task<WaveResult> WaveAsync(BenchDatabase server, Guid wave, Guid[] members, Func<Guid, Guid, Task<bool?>> claim)
    {
        var started = Stopwatch.GetTimestamp();
        var outcomes = await Task.WhenAll(members.Select(member => Task.Run(async () =>
        {
            var pressed = Stopwatch.GetTimestamp();
            var outcome = await claim(wave, member);
            return (Outcome: outcome, At: Stopwatch.GetElapsedTime(started), Latency: Stopwatch.GetElapsedTime(pressed).TotalMilliseconds);
        })));
        var won = outcomes.Where(o => o.Outcome == true).ToList();
        var lastPacket = won.Count == 0 ? TimeSpan.MaxValue : won.Max(o => o.At);
        await CheckExactAsync(server.ConnectionString, wave, won.Count);
        var latencies = outcomes.Select(o => o.Latency).Order().ToList();
        return new WaveResult(won.Count / lastPacket.TotalSeconds, latencies[(int)(latencies.Count * 0.99)], won.Count, outcomes.Count(o => o.Outcome is null));
    }

    private static async Task CheckExactAsync(string connectionString, Guid wave, int won)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE claimed_by IS NOT NULL), count(DISTINCT claimed_by), coalesce(sum(amount) FILTER (WHERE claimed_by IS NOT NULL), 0),
                   (SELECT coalesce(sum(amount), 0) FROM funnel.credit_entries WHERE source_id = $1)
            FROM funnel.red_envelope_packets WHERE wave_id = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = wave });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (claimed, claimants, amount, credited) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetDecimal(2), reader.GetDecimal(3));
        if (claimed != Packets || claimants != Packets || amount != Budget || credited != Budget || won != Packets)
        {
            throw new InvalidOperationException($"Wave {wave} is not exact: {claimed} claimed by {claimants}, {amount} taken, {credited} credited, {won} answered won.");
        }
    }

    /// <summary>The baseline: one statement takes a pre-split packet with SKIP LOCKED and credits it.</summary>
    private static async Task<bool?> RawClaimAsync(string connectionString, Guid wave, Guid member)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            WITH taken AS (
                UPDATE funnel.red_envelope_packets AS p SET claimed_by = $2, claimed_at = now()
                WHERE (p.wave_id, p.position) = (
                    SELECT wave_id, position FROM funnel.red_envelope_packets
                    WHERE wave_id = $1 AND claimed_by IS NULL ORDER BY position LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING p.amount
            )
            INSERT INTO funnel.credit_entries (id, member_id, currency, amount, kind, source_id, created_at)
            SELECT $3, $2, 'CNY', amount, 'RainPacket', $1, now() FROM taken
            RETURNING amount
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = wave });
        command.Parameters.Add(new NpgsqlParameter { Value = member });
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        try
        {
            return await command.ExecuteScalarAsync() is not null;
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    private static async Task<bool?> AppClaimAsync(HttpClient http, Guid wave, Guid member)
    {
        try
        {
            using var response = await http.PostAsJsonAsync($"/api/v1/red-envelope-waves/{wave}/claims", new { memberId = member });
            return response.StatusCode switch
            {
                HttpStatusCode.Created => true,
                HttpStatusCode.Conflict => false,
                _ => null,
            };
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
