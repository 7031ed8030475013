using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Pricing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommunityFunnel.Bench;

/// <summary>
/// Flash-sale claims on one durable cluster (fsync and synchronous_commit on), measured in the same run:
/// the raw claim transaction over Npgsql (one statement: member limit, order insert, stock decrement last) against
/// the app's HTTP claim endpoint, run as its own process, at 16, 200 and 500 concurrent members; then the
/// sold-out rush, counting the database transactions its rejections cost.
/// </summary>
internal static class ClaimsBench
{
    private const string ApiKey = "cf_bench-claims-key-0123456789abcdef";
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(5);
    private static readonly int[] Concurrency = [16, 200, 500];

    private sealed record PhaseResult(int Claims, int Rejected, double PerSecond, double P50, double P99, int Errors);

    public static async Task RunAsync(BenchDatabase server, ServiceProvider services)
    {
        var (group, product, members) = await SetUpAsync(services);
        await using var app = await AppProcess.StartAsync(server.ConnectionString, ApiKey);
        using var http = app.CreateApiClient();
        var sales = services.GetRequiredService<FlashSaleService>();

        Console.WriteLine();
        Console.WriteLine("Flash-sale claims (1 unit each; big stock, so every claim succeeds):");
        Console.WriteLine("  concurrent | raw claims/s  p50 ms  p99 ms | app claims/s  p50 ms  p99 ms | app/raw");
        await RunPhaseAsync(16, await NewSaleAsync(), (sale, member, _) => RawClaimAsync(server.ConnectionString, sale, member), members); // warm-up
        await RunPhaseAsync(16, await NewSaleAsync(), (sale, member, _) => AppClaimAsync(http, sale, member, null), members);
        var app16 = 0d;
        foreach (var concurrency in Concurrency)
        {
            var raw = await RunPhaseAsync(concurrency, await NewSaleAsync(), (sale, member, _) => RawClaimAsync(server.ConnectionString, sale, member), members);
            var viaApp = await RunPhaseAsync(concurrency, await NewSaleAsync(), (sale, member, _) => AppClaimAsync(http, sale, member, null), members);
            app16 = concurrency == 16 ? viaApp.PerSecond : app16;
            Console.WriteLine($"  {concurrency,10} | {raw.PerSecond,12:0}  {raw.P50,6:0.0}  {raw.P99,6:0.0} | {viaApp.PerSecond,12:0}  {viaApp.P50,6:0.0}  {viaApp.P99,6:0.0} | {viaApp.PerSecond / raw.PerSecond,6:0.00}x"
                + (raw.Errors + viaApp.Errors > 0 ? $"  ({raw.Errors + viaApp.Errors} errors)" : ""));
            if (concurrency == Concurrency[^1])
            {
                Console.WriteLine($"  app at {concurrency} concurrent vs at 16: {viaApp.PerSecond / app16:0.00}x (no collapse: >= 0.9x)");
            }
        }

        // The rush: 100 units, 500 members pressing "buy" for 5 s, each press with its own Idempotency-Key.
        var rushSale = await NewSaleAsync(stock: 100, limit: 2);
        var before = await TransactionsAsync(server.ConnectionString);
        var rush = await RunPhaseAsync(500, rushSale, (sale, member, i) => AppClaimAsync(http, sale, member, $"rush-{i}"), members);
        await Task.Delay(TimeSpan.FromSeconds(2)); // backends report their counters at most once a second
        var transactions = await TransactionsAsync(server.ConnectionString) - before - 1;
        var sold = (await sales.GetAsync(Actor.System, rushSale, default)).Value!;
        Console.WriteLine($"Sold-out rush, 500 concurrent, 100 units: {rush.Claims} claims won ({sold.Stock - sold.Remaining} units sold, never more), "
            + $"{rush.Rejected} rejected at {rush.PerSecond:0} requests/s, p50 {rush.P50:0.0} ms, p99 {rush.P99:0.0} ms, {rush.Errors} errors");
        Console.WriteLine($"  database transactions: {transactions} for {rush.Claims + rush.Rejected} requests "
            + $"({(double)Math.Max(0, transactions - rush.Claims) / Math.Max(1, rush.Rejected):0.0000} per rejection after the winners' own)");

        // A fresh sale per phase; the stock is big enough that no phase sells out, so every claim is a full one.
        async Task<Guid> NewSaleAsync(int stock = 1_000_000, int limit = 1_000_000)
        {
            var now = DateTimeOffset.UtcNow;
            var input = new FlashSaleInput(group, product, 9.9m, stock, limit, now.AddSeconds(-1), now.AddHours(1), 15);
            return (await sales.CreateAsync(Actor.System, input, default)).Value;
        }
    }

    private static async Task<(Guid Group, Guid Product, Guid[] Members)> SetUpAsync(ServiceProvider services)
    {
        var group = (await services.GetRequiredService<GroupService>().CreateAsync(Actor.System,
            new GroupInput("Bench 秒杀群", ChatPlatform.WeCom, "Asia/Shanghai", "CNY", 100_000, null, null), default)).Value;
        var product = (await services.GetRequiredService<ProductService>().CreateAsync(Actor.System,
            new ProductInput("Bench trial pack", null, FunnelStage.Low, 19.9m, "CNY", ProductKind.Traffic), default)).Value;
        var memberService = services.GetRequiredService<MemberService>();
        var members = new Guid[500];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = (await memberService.AddToGroupAsync(Actor.System, group, new MemberInput($"Buyer {i:D3}", $"+86139{i:D8}"), default)).Value!.Id;
        }

        return (group, product, members);
    }

    /// <summary>Each worker is one member pressing "buy" again and again for the phase's duration.</summary>
    private static async Task<PhaseResult> RunPhaseAsync(int concurrency, Guid sale, Func<Guid, Guid, int, Task<bool?>> claim, Guid[] members)
    {
        var latencies = new ConcurrentBag<double>();
        var (won, rejected, errors, sequence) = (0, 0, 0, 0);
        var deadline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var member = members[worker % members.Length];
            while (deadline.Elapsed < Phase)
            {
                var started = Stopwatch.GetTimestamp();
                var outcome = await claim(sale, member, Interlocked.Increment(ref sequence));
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                _ = outcome switch
                {
                    true => Interlocked.Increment(ref won),
                    false => Interlocked.Increment(ref rejected),
                    null => Interlocked.Increment(ref errors),
                };
            }
        })));
        var elapsed = deadline.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToList();
        return new PhaseResult(won, rejected, (won + rejected) / elapsed, sorted[sorted.Count / 2], sorted[(int)(sorted.Count * 0.99)], errors);
    }

    /// <summary>The baseline: one statement, one round trip, the stock row touched last.</summary>
    private static async Task<bool?> RawClaimAsync(string connectionString, Guid sale, Guid member)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            WITH buyer AS (
                INSERT INTO funnel.flash_sale_buyers AS b (flash_sale_id, member_id, quantity) VALUES ($1, $2, 1)
                ON CONFLICT (flash_sale_id, member_id) DO UPDATE SET quantity = b.quantity + 1
                    WHERE b.quantity + 1 <= (SELECT per_member_limit FROM funnel.flash_sales WHERE id = $1)
                RETURNING 1
            ), placed AS (
                INSERT INTO funnel.orders (id, member_id, group_id, product_id, tier, quantity, unit_price, currency, status, created_at, payment_due_at, flash_sale_id)
                SELECT $3, $2, s.group_id, s.product_id, 'Low', 1, s.price, s.currency, 'Pending', now(), now() + s.payment_window, s.id
                FROM funnel.flash_sales s, buyer WHERE s.id = $1
                RETURNING flash_sale_id
            )
            UPDATE funnel.flash_sales s SET remaining = s.remaining - 1
            FROM placed WHERE s.id = placed.flash_sale_id AND s.remaining >= 1
            RETURNING s.remaining
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sale });
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

    private static async Task<bool?> AppClaimAsync(HttpClient http, Guid sale, Guid member, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/flash-sales/{sale}/claims") { Content = JsonContent.Create(new { memberId = member, quantity = 1 }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        try
        {
            using var response = await http.SendAsync(request);
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

    private static async Task<long> TransactionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
