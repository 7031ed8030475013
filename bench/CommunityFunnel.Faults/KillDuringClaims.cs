namespace CommunityFunnel.Faults;

/// <summary>
/// Scenario a: kill -9 of one instance in the middle of a flash-sale rush through nginx. Every claim answered 201 must
/// be in the database, no sale oversold, every member within their limit, and the other two instances go on serving.
/// </summary>
internal static class KillDuringClaims
{
    private const int Members = 200;
    private static readonly TimeSpan Rush = TimeSpan.FromSeconds(15);
    // early enough that nginx tries the dead instance again once its fail_timeout (10 s) is over
    private static readonly TimeSpan KillAt = TimeSpan.FromSeconds(4);

    public static async Task RunAsync(Findings findings, CancellationToken ct)
    {
        Findings.Heading("a. kill -9 of one instance mid-rush (3 instances behind nginx)");
        await using var topology = await Topology.StartAsync(ct);
        try
        {
            await StickySessions.CheckAsync(topology, findings, ct);
            using var http = topology.ApiClient(TimeSpan.FromSeconds(15));
            var setup = await RushSetup.CreateAsync(new FunnelApi(http), "Fault rush", Members, Rush, ct);
            var rush = new ClaimRush(http, setup.Members, setup.Sales);
            var victim = topology.Apps[1];
            var running = rush.RunAsync(Rush, ct);
            await Task.Delay(KillAt, ct);
            var killedAt = rush.Now;
            await victim.KillAsync();
            await running;

            var attempts = rush.Attempts.ToList();
            var failed = attempts.Where(a => !a.Answered).ToList();
            var after = attempts.Where(a => a.Start >= killedAt + 2).ToList();
            var answeredAfter = after.Count == 0 ? 0 : 100.0 * after.Count(a => a.Answered) / after.Count;
            var log = await topology.Nginx.ReadAccessLogAsync();
            var claims = log.Where(l => l.Path.EndsWith("/claims", StringComparison.Ordinal)).ToList();
            var killedAtUtc = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(rush.Now - killedAt);
            var victimAddress = $"127.0.0.1:{victim.Port}";
            var retriedElsewhere = claims.Count(l => l.Upstreams.Count > 1 && l.Upstreams[0] == victimAddress && l.Status < 500);
            var ledger = await SalesLedger.ReadAsync(topology.Postgres, setup.Sales, ct);
            var acknowledged = rush.Acknowledged.ToList();
            var salesAfterKill = setup.Sales.Skip((int)(killedAt / ClaimRush.Wave.TotalSeconds) + 1).ToHashSet();

            Findings.Table(
                ("rush", $"{Members} members, {Rush.TotalSeconds:0} s, a new sale of {RushSetup.Stock} units (limit {RushSetup.PerMemberLimit}) every second"),
                ("instance killed (SIGKILL)", $"{victim.Name} at {killedAt:0.0} s"),
                ("claim requests (attempts)", attempts.Count),
                ("claims won (201)", acknowledged.Count),
                ("claims won after the kill", acknowledged.Count(a => salesAfterKill.Contains(a.Sale))),
                ("orders in the database / units sold", $"{ledger.Orders} / {ledger.UnitsSold}"),
                ("orders committed but never answered (their instance died)", ledger.Unacknowledged(acknowledged)),
                ("attempts without a decision", failed.Count == 0 ? "0" : string.Join(", ", failed.GroupBy(a => a.Status).OrderBy(g => g.Key)
                    .Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString())} x {g.Count()}"))),
                ("of them answered between the kill and kill + 2 s (in flight on the killed instance)", failed.Count(a => a.End >= killedAt && a.End < killedAt + 2)),
                ("error window (when those answers came, from the kill)", failed.Count == 0 ? "none" : $"{failed.Min(a => a.End) - killedAt:+0.00;-0.00} s to {failed.Max(a => a.End) - killedAt:+0.00;-0.00} s"),
                ("claims nginx moved to another instance after a refused connection", retriedElsewhere),
                ("requests served per instance before / after the kill", string.Join(", ", topology.Apps.Select(app =>
                    $"{app.Name} {claims.Count(l => l.At < killedAtUtc && l.ServedBy == $"127.0.0.1:{app.Port}")}"
                    + $" / {claims.Count(l => l.At >= killedAtUtc && l.ServedBy == $"127.0.0.1:{app.Port}" && l.Status < 500)}"))),
                ("attempts decided from kill + 2 s on", $"{answeredAfter:0.00} % of {after.Count}"));

            ledger.CheckInvariants(acknowledged, findings);
            findings.Check("the other instances kept serving: >= 99 % of attempts from kill + 2 s on got a decision", answeredAfter >= 99,
                $"{answeredAfter:0.00} %");
            findings.Check("no 500 and no stack trace in any answer", attempts.All(a => a.Status != 500 && !a.StackTrace),
                $"{attempts.Count(a => a.Status == 500)} x 500, {attempts.Count(a => a.StackTrace)} with a stack trace");
        }
        catch
        {
            topology.PrintLogTails();
            throw;
        }
    }
}
