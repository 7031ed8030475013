using CommunityFunnel.Application.Referrals;
using Hangfire;

namespace CommunityFunnel.Web.Jobs;

/// <summary>Sends referrers whose referred members never pay to review. Daily; the next day's run is the retry.</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class FlagNeverPayingReferralsJob(NeverPayingReferrals check)
{
    public Task RunAsync(CancellationToken ct) => check.FlagAsync(ct);
}
