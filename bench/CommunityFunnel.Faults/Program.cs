using System.Diagnostics;
using CommunityFunnel.Faults;

// The fault suite: deploy/'s topology (three app instances behind nginx, one durable PostgreSQL) on loopback, and
// faults injected into it. Needs nginx and the PostgreSQL server binaries (apt-get install nginx postgresql).
//
//   dotnet run -c Release --project bench/CommunityFunnel.Faults                 every scenario (a few minutes)
//   dotnet run -c Release --project bench/CommunityFunnel.Faults -- --short      the kill test only (CI)
//   dotnet run -c Release --project bench/CommunityFunnel.Faults -- kill-claims postgres-restart kill-posts
//
// Prints Markdown tables of figures and each invariant; exits 1 when one breaks.
var scenarios = new (string Name, Func<Findings, CancellationToken, Task> Run)[]
{
    ("kill-claims", KillDuringClaims.RunAsync),
    ("postgres-restart", PostgresRestart.RunAsync),
    ("kill-posts", KillDuringPosts.RunAsync),
};
var chosen = args.Contains("--short") ? ["kill-claims"] : args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var unknown = chosen.Except(scenarios.Select(s => s.Name)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown scenario {string.Join(", ", unknown)}; choose from {string.Join(", ", scenarios.Select(s => s.Name))} or --short");
    return 2;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop through the token, so every scenario cleans up its processes and directories
    interrupted.Cancel();
};

var clock = Stopwatch.StartNew();
var findings = new Findings();
var crashed = new List<string>();
await Repository.BuildWebAsync(interrupted.Token);
foreach (var (name, run) in scenarios.Where(s => chosen.Length == 0 || chosen.Contains(s.Name)))
{
    try
    {
        await run(findings, interrupted.Token);
    }
    catch (Exception ex) when (!interrupted.IsCancellationRequested)
    {
        Console.WriteLine($"- **FAILED**: scenario {name} could not run: {ex}");
        crashed.Add(name);
    }
}

Console.WriteLine();
var failures = findings.Failures.Count + crashed.Count;
Console.WriteLine(failures == 0
    ? $"fault suite: every invariant held ({clock.Elapsed.TotalSeconds:0} s)"
    : $"fault suite: {failures} failed ({clock.Elapsed.TotalSeconds:0} s): {string.Join("; ", findings.Failures.Concat(crashed.Select(c => $"{c} did not run")))}");
return failures == 0 && !interrupted.IsCancellationRequested ? 0 : 1;
