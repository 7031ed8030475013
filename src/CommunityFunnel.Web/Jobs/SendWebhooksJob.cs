using CommunityFunnel.Application.Webhooks;
using Hangfire;

namespace CommunityFunnel.Web.Jobs;

/// <summary>
/// The scheduled entry point of <see cref="WebhookSender"/>. It runs every two seconds and sends until nothing is due, so
/// the next tick is the retry; overlapping runs (on one instance or several) share the queue through SKIP LOCKED.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class SendWebhooksJob(WebhookSender sender)
{
    public Task RunAsync(CancellationToken ct) => sender.SendDueAsync(ct);
}
