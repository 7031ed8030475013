using CommunityFunnel.Application.Promotions;
using Hangfire;

namespace CommunityFunnel.Web.Jobs;

/// <summary>Announces each group's next member promotion day once the last one has begun. Hourly: the next run is the retry.</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class SchedulePromotionDaysJob(PromotionDayScheduler scheduler)
{
    public Task RunAsync(CancellationToken ct) => scheduler.ScheduleAsync(ct);
}
