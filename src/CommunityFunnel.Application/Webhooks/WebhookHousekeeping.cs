namespace CommunityFunnel.Application.Webhooks;

/// <summary>Keeps the delivery log bounded: deliveries finished (delivered or given up) 30 days ago go, with their attempts.</summary>
public sealed class WebhookHousekeeping(WebhookDeliveryStore store, TimeProvider clock)
{
    public static readonly TimeSpan KeepFinishedFor = TimeSpan.FromDays(30);
    private const int BatchSize = 5000;

    /// <summary>Returns how many deliveries were removed.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await store.GiveUpWhileDisabledAsync(now, ct);
        var total = 0;
        int purged;
        do
        {
            purged = await store.PurgeFinishedAsync(now - KeepFinishedFor, BatchSize, ct);
            total += purged;
        }
        while (purged == BatchSize); // short transactions: a huge backlog never holds one long lock

        return total;
    }
}
