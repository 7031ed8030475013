using CommunityFunnel.Application.Rebates;
using Hangfire;

namespace CommunityFunnel.Web.Jobs;

/// <summary>Makes rebates available once their hold ends. Runs every minute, so the next tick is the retry.</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class ReleaseRebatesJob(RebateLedger ledger)
{
    public Task RunAsync(CancellationToken ct) => ledger.ReleaseDueAsync(ct);
}
