using System.Collections.Concurrent;
using System.Diagnostics;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Rebates;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommunityFunnel.Bench;

/// <summary>
/// Paying orders through the API (POST /api/v1/orders/{id}/pay, the app in its own process) when each payment earns
/// two levels of rebates, against payments that earn none, in the same run on the same durable cluster: the rebate
/// ledger's cost is the ratio. Orders are written beforehand in bulk; each phase pays as many as it can in 5 s.
/// </summary>
internal static class RebatesBench
{
    private const string ApiKey = "cf_bench-rebates-key-0123456789abcdef";
    private const int OrdersPerPhase = 12_000;
    private const int Rounds = 2;
    private const int Referrers = 50;
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(5);
    private static readonly int[] Concurrency = [16, 200];

    public static async Task RunAsync(BenchDatabase server, ServiceProvider services)
    {
        var (group, product, referred, unreferred) = await SetUpAsync(services);
        await using var app = await AppProcess.StartAsync(server.ConnectionString, ApiKey);
        using var http = app.CreateApiClient();

        Console.WriteLine();
        Console.WriteLine("Paying orders through the API: each earning two levels of rebates, against earning none:");
        Console.WriteLine("  concurrent | no rebates pays/s  p50 ms | two-level rebates pays/s  p50 ms | rebates/none");
        // Both paths once before measuring, so neither pays for the JIT or EF's query compilation in its phase.
        await PayPhaseAsync(http, 16, await OrdersAsync(server, group, product, unreferred));
        await PayPhaseAsync(http, 16, await OrdersAsync(server, group, product, referred));
        foreach (var concurrency in Concurrency)
        {
            // Alternated twice, each side's best phase counts: a pause of the shared machine does not decide the ratio.
            PhaseResult? none = null, rebates = null;
            for (var round = 0; round < Rounds; round++)
            {
                none = Best(none, await PayPhaseAsync(http, concurrency, await OrdersAsync(server, group, product, unreferred)));
                rebates = Best(rebates, await PayPhaseAsync(http, concurrency, await OrdersAsync(server, group, product, referred)));
            }

            Console.WriteLine($"  {concurrency,10} | {none!.PerSecond,17:0}  {none.P50,6:0.0} | {rebates!.PerSecond,24:0}  {rebates.P50,6:0.0} | {rebates.PerSecond / none.PerSecond,11:0.00}x"
                + (none.Errors + rebates.Errors > 0 ? $"  ({none.Errors + rebates.Errors} errors)" : ""));
        }

        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM funnel.rebate_entries WHERE kind = 'Earned'", connection);
        Console.WriteLine($"  rebate entries written: {await count.ExecuteScalarAsync()} (two per paid order of a referred member)");
    }

    private sealed record PhaseResult(double PerSecond, double P50, int Errors);

    private static PhaseResult Best(PhaseResult? sofar, PhaseResult phase) => sofar is null || phase.PerSecond > sofar.PerSecond ? phase : sofar;

    private static async Task<PhaseResult> PayPhaseAsync(HttpClient http, int concurrency, Guid[] orders)
    {
        var next = -1;
        var errors = 0;
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < Phase && Interlocked.Increment(ref next) is var i && i < orders.Length)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync($"/api/v1/orders/{orders[i]}/pay", null);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })));
        var sorted = latencies.Order().ToArray();
        return new PhaseResult(sorted.Length / clock.Elapsed.TotalSeconds, sorted.Length == 0 ? 0 : sorted[sorted.Length / 2], errors);
    }

    /// <summary>Pending orders of <paramref name="buyers"/>, written in one statement (the phase measures paying them).</summary>
    private static async Task<Guid[]> OrdersAsync(BenchDatabase server, Guid group, Guid product, Guid[] buyers)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO funnel.orders (id, member_id, group_id, product_id, tier, quantity, unit_price, currency, status, created_at, refunded_amount, refunded_quantity)
            SELECT gen_random_uuid(), buyer, @group, @product, 'Mid', 1, 399, 'CNY', 'Pending', now(), 0, 0
            FROM generate_series(1, @count) AS n, LATERAL (SELECT (@buyers)[1 + n % cardinality(@buyers)] AS buyer) AS b
            RETURNING id
            """, connection);
        insert.Parameters.AddWithValue("group", group);
        insert.Parameters.AddWithValue("product", product);
        insert.Parameters.AddWithValue("count", OrdersPerPhase);
        insert.Parameters.AddWithValue("buyers", buyers);
        var ids = new List<Guid>(OrdersPerPhase);
        await using var reader = await insert.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return [.. ids];
    }

    /// <summary>A CNY plan of 10 % and 5 % and the sharing rule on (3 referred payers); 50 referrers each referred by one of 5 partners, 2,000 buyers each referred by one of them, and 2,000 buyers nobody referred.</summary>
    private static async Task<(Guid Group, Guid Product, Guid[] Referred, Guid[] Unreferred)> SetUpAsync(ServiceProvider services)
    {
        await services.GetRequiredService<CommissionPlans>().SaveAsync(Actor.System, "CNY", new CommissionTerms(10m, 5m, 7, null, null, false, true, []), default);
        await services.GetRequiredService<PricingService>().SaveSharingRuleAsync(Actor.System, SharingRuleTerms.ReferredPayers(3), default);
        var group = (await services.GetRequiredService<GroupService>().CreateAsync(Actor.System,
            new GroupInput("Rebates bench", ChatPlatform.WeCom, "Asia/Shanghai", "CNY", 100_000, null, null), default)).Value;
        var product = (await services.GetRequiredService<ProductService>().CreateAsync(Actor.System,
            new ProductInput("Tea gift box", null, FunnelStage.Mid, 399m, "CNY", ProductKind.Profit), default)).Value;
        var members = services.GetRequiredService<MemberService>();
        async Task<Guid> AddAsync(string name, Guid? referrer) =>
            (await members.AddToGroupAsync(Actor.System, group, new MemberInput(name, ExternalId: $"bench-{name}", ReferrerId: referrer), default)).Value!.Id;

        var partners = new Guid[5];
        for (var i = 0; i < partners.Length; i++)
        {
            partners[i] = await AddAsync($"partner-{i}", null);
        }

        var referrers = new Guid[Referrers];
        for (var i = 0; i < referrers.Length; i++)
        {
            referrers[i] = await AddAsync($"referrer-{i}", partners[i % partners.Length]);
        }

        var referred = new Guid[2_000];
        var unreferred = new Guid[2_000];
        for (var i = 0; i < referred.Length; i++)
        {
            referred[i] = await AddAsync($"buyer-{i}", referrers[i % referrers.Length]);
            unreferred[i] = await AddAsync($"walk-in-{i}", null);
        }

        return (group, product, referred, unreferred);
    }
}
