using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Webhooks;
using Hangfire;

namespace CommunityFunnel.Web.Jobs;

/// <summary>Hourly: relayed outbox messages and finished webhook deliveries older than 30 days go, so neither table grows forever.</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class PurgeEventsJob(OutboxHousekeeping outbox, WebhookHousekeeping webhooks)
{
    public async Task RunAsync(CancellationToken ct)
    {
        await outbox.PurgeAsync(ct);
        await webhooks.PurgeAsync(ct);
    }
}
