using Npgsql;

namespace CommunityFunnel.Faults;

/// <summary>
/// Scenarios b and d, on one outage: PostgreSQL stopped (pg_ctl stop -m fast) in the middle of a flash-sale rush and
/// started again. During the outage the app answers 503 with Retry-After (never a 500 or a stack trace) and
/// /health/ready says 503; within 10 s of PostgreSQL being back >= 99 % of claims get a decision again and ready says
/// 200; Hangfire and the post dispatcher carry on by themselves (a post due during the outage goes out after it, once).
/// </summary>
internal static class PostgresRestart
{
    private const int Members = 200;
    private static readonly TimeSpan StopAt = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan AfterRestart = TimeSpan.FromSeconds(15);
    private const double RecoveryBudget = 10;

    public static async Task RunAsync(Findings findings, CancellationToken ct)
    {
        Findings.Heading("b. PostgreSQL restarted mid-rush, and d. /health/ready through it");
        await using var topology = await Topology.StartAsync(ct);
        try
        {
            using var http = topology.ApiClient(TimeSpan.FromSeconds(15));
            var api = new FunnelApi(http);
            // sales for the longest the rush may last: stopping and starting PostgreSQL take their own time too
            var setup = await RushSetup.CreateAsync(api, "Fault restart", Members, StopAt + Outage + AfterRestart + TimeSpan.FromSeconds(20), ct);
            await api.AddWeComRobotAsync(setup.Group, "restart-robot", ct);
            var rush = new ClaimRush(http, setup.Members, setup.Sales);
            // due while PostgreSQL is away: the dispatcher can only send it once the database is back
            var duringOutage = DateTimeOffset.UtcNow + StopAt + Outage / 2;
            await api.ScheduleAnnouncementAsync([setup.Group], "Due during the outage", duringOutage, ct);

            using var stopProbing = new CancellationTokenSource();
            var health = new HealthProbe(topology, () => rush.Now);
            var running = rush.RunAsync(TimeSpan.FromMinutes(2), ct);
            var probing = health.RunAsync(stopProbing.Token);
            await Task.Delay(StopAt, ct);
            var stopping = rush.Now;
            await topology.Postgres.StopAsync(ct);
            var down = rush.Now;
            await Task.Delay(Outage, ct);
            var starting = rush.Now;
            await topology.Postgres.StartAsync(ct);
            var up = rush.Now;
            var upUtc = DateTimeOffset.UtcNow;
            rush.Until = TimeSpan.FromSeconds(up) + AfterRestart;
            var jobsBefore = await LastHangfireJobAsync(topology.Postgres, ct);
            await running;
            await stopProbing.CancelAsync();
            await probing;

            // After the rush: a post scheduled now must go out too, and Hangfire must have run jobs created after the restart.
            await api.ScheduleAnnouncementAsync([setup.Group], "Scheduled after the outage", DateTimeOffset.UtcNow.AddSeconds(2), ct);
            var postsDeadline = DateTimeOffset.UtcNow.AddSeconds(45);
            while (DateTimeOffset.UtcNow < postsDeadline && topology.Robots.Count("restart-robot") < 2)
            {
                await Task.Delay(500, ct);
            }

            var received = topology.Robots.Received.TryGetValue("restart-robot", out var messages) ? messages.ToList() : [];
            // Hangfire: its recurring jobs (every 5 s) must run again; how long until one created after the restart succeeds
            var jobsDeadline = DateTimeOffset.UtcNow.AddSeconds(90);
            var jobsAfter = await SucceededHangfireJobsAfterAsync(topology.Postgres, jobsBefore, ct);
            while (jobsAfter == 0 && DateTimeOffset.UtcNow < jobsDeadline)
            {
                await Task.Delay(1000, ct);
                jobsAfter = await SucceededHangfireJobsAfterAsync(topology.Postgres, jobsBefore, ct);
            }

            var hangfireBackAfter = DateTimeOffset.UtcNow - upUtc;
            var hangfireLocks = await HangfireLocksAsync(topology.Postgres, ct);

            var attempts = rush.Attempts.ToList();
            var outage = attempts.Where(a => a.Start >= down && a.End <= starting).ToList();
            var recovered = attempts.Where(a => a.Start >= up + RecoveryBudget).ToList();
            var recoveredShare = recovered.Count == 0 ? 0 : 100.0 * recovered.Count(a => a.Answered) / recovered.Count;
            var firstDecision = attempts.Where(a => a.Start >= up && a.Answered).Select(a => a.End - up).DefaultIfEmpty(double.NaN).Min();
            string Breakdown(IEnumerable<Attempt> list) => string.Join(", ", list.GroupBy(a => a.Answered ? "decided" : a.Status == 0 ? "no answer" : a.Status.ToString())
                .OrderBy(g => g.Key).Select(g => $"{g.Key} x {g.Count()}"));

            Findings.Table(
                ("rush", $"{Members} members pressing for {rush.Until.TotalSeconds:0} s"),
                ("PostgreSQL stop (fast) / down / start / back", $"{stopping:0.0} s / {down:0.0} s / {starting:0.0} s / {up:0.0} s"),
                ("claim attempts, all", $"{attempts.Count} ({Breakdown(attempts)})"),
                ("attempts during the outage", $"{outage.Count} ({Breakdown(outage)})"),
                ("of them 503 with Retry-After", outage.Count(a => a.Status == 503 && a.RetryAfter)),
                ("answers with a 500 / with a stack trace", $"{attempts.Count(a => a.Status == 500)} / {attempts.Count(a => a.StackTrace)}"),
                ("first decision after PostgreSQL was back", double.IsNaN(firstDecision) ? "none" : $"{firstDecision:0.00} s"),
                ($"attempts decided from back + {RecoveryBudget:0} s on", $"{recoveredShare:0.00} % of {recovered.Count}"),
                ("post due during the outage: received", string.Join(", ", received.Where(m => m.Text == "Due during the outage").Select(m => $"{(m.At - upUtc).TotalSeconds:+0.0} s after back"))),
                ("post scheduled after the outage: received", received.Count(m => m.Text == "Scheduled after the outage") + " time(s)"),
                ("Hangfire jobs created after the restart and succeeded", jobsAfter == 0
                    ? $"none within {hangfireBackAfter.TotalSeconds:0} s of the restart; locks held: {hangfireLocks}"
                    : $"{jobsAfter}, checked {hangfireBackAfter.TotalSeconds:0} s after the restart"));

            Console.WriteLine("Claim attempts by the second they started (s: PostgreSQL stopping, D: down, S: starting, U: back):");
            Console.WriteLine();
            Console.WriteLine("| second | | attempts | decided | 503 (with Retry-After) | 500 | other / no answer | median ms |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (var second in attempts.GroupBy(a => (int)a.Start).OrderBy(g => g.Key))
            {
                var phase = second.Key < stopping - 1 ? "" : second.Key < down ? "s" : second.Key < starting ? "D" : second.Key < up ? "S" : second.Key < up + 1 ? "U" : "";
                var median = second.Select(a => (a.End - a.Start) * 1000).Order().ElementAt(second.Count() / 2);
                Console.WriteLine($"| {second.Key} | {phase} | {second.Count()} | {second.Count(a => a.Answered)} | {second.Count(a => a.Status == 503)} ({second.Count(a => a.Status == 503 && a.RetryAfter)}) "
                    + $"| {second.Count(a => a.Status == 500)} | {second.Count(a => !a.Answered && a.Status is not (500 or 503))} | {median:0} |");
            }

            Console.WriteLine();
            // A claim the app can decide without the database (a sale it knows is sold out or not live, for a second)
            // is still a right answer during the outage; every other one must be a 503 with Retry-After.
            findings.Check("during the outage every claim is answered 503 with Retry-After, unless decided without the database",
                outage.Any(a => a.Status == 503) && outage.All(a => a.Answered || (a.Status == 503 && a.RetryAfter)),
                $"{outage.Count(a => a.Status == 503 && a.RetryAfter)} of {outage.Count}: {Breakdown(outage)}");
            findings.Check("no 500 and no stack trace in any answer", attempts.All(a => a.Status != 500 && !a.StackTrace),
                $"{attempts.Count(a => a.Status == 500)} x 500, {attempts.Count(a => a.StackTrace)} with a stack trace");
            findings.Check($"within {RecoveryBudget:0} s of PostgreSQL being back >= 99 % of claims get a decision", recoveredShare >= 99, $"{recoveredShare:0.00} %");
            findings.Check("the dispatcher recovered: the post due during the outage went out after it, once",
                received.Count(m => m.Text == "Due during the outage" && m.At >= upUtc) == 1 && received.Count(m => m.Text == "Due during the outage") == 1,
                $"received {received.Count(m => m.Text == "Due during the outage")} time(s)");
            findings.Check("the dispatcher recovered: a post scheduled after the outage went out, once",
                received.Count(m => m.Text == "Scheduled after the outage") == 1, $"received {received.Count(m => m.Text == "Scheduled after the outage")} time(s)");
            findings.Check("Hangfire recovered: jobs created after the restart ran", jobsAfter > 0, $"{jobsAfter} succeeded");

            var ledger = await SalesLedger.ReadAsync(topology.Postgres, setup.Sales, ct);
            ledger.CheckInvariants(rush.Acknowledged.ToList(), findings);

            Findings.Heading("d. /health/ready while PostgreSQL is down, and after");
            var probes = health.Probes.ToList();
            var whileDown = probes.Where(p => p.At >= down + 1 && p.At < starting).ToList();
            var settled = probes.Where(p => p.At >= up + RecoveryBudget).ToList();
            var rows = probes.GroupBy(p => p.Target).OrderBy(g => g.Key).Select(g =>
            {
                var downAnswers = string.Join(", ", g.Where(p => p.At >= down + 1 && p.At < starting).GroupBy(p => p.Status).Select(s => $"{s.Key} x {s.Count()}"));
                var firstOk = g.Where(p => p.At >= up && p.Status == 200).Select(p => p.At - up).DefaultIfEmpty(double.NaN).Min();
                return ($"{g.Key}: answers while down / first 200 after back", (object)$"{downAnswers} / {(double.IsNaN(firstOk) ? "never" : $"{firstOk:0.00} s")}");
            }).ToArray();
            Findings.Table(rows);
            // A probe that gets no answer within 3 s counts as unhealthy, as a load balancer's would; only a 200 is healthy.
            findings.Check("/health/ready is unhealthy while PostgreSQL is down (nginx and every instance)", whileDown.Count > 0 && whileDown.All(p => p.Status is 503 or 0),
                $"{whileDown.Count(p => p.Status == 503)} x 503, {whileDown.Count(p => p.Status == 0)} without an answer in 3 s, {whileDown.Count(p => p.Status == 200)} x 200, of {whileDown.Count} probes");
            findings.Check($"/health/ready is 200 from {RecoveryBudget:0} s after PostgreSQL is back", settled.Count > 0 && settled.All(p => p.Status == 200),
                $"{settled.Count(p => p.Status == 200)} of {settled.Count} probes"
                + string.Concat(settled.Where(p => p.Status != 200).Select(p => $"; {p.Target} {p.Status} at back + {p.At - up:0.0} s")));
        }
        catch
        {
            topology.PrintLogTails();
            throw;
        }
    }

    private static async Task<long> LastHangfireJobAsync(LocalPostgres postgres, CancellationToken ct)
    {
        await using var connection = await postgres.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT coalesce(max(id), 0) FROM hangfire.job", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<string> HangfireLocksAsync(LocalPostgres postgres, CancellationToken ct)
    {
        await using var connection = await postgres.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT coalesce(string_agg(resource || ' since ' || acquired::text, '; '), 'none') FROM hangfire.lock", connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<long> SucceededHangfireJobsAfterAsync(LocalPostgres postgres, long lastBefore, CancellationToken ct)
    {
        await using var connection = await postgres.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE id > $1 AND statename = 'Succeeded'", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = lastBefore });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
