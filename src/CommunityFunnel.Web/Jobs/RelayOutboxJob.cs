using CommunityFunnel.Application.Events;
using Hangfire;

namespace CommunityFunnel.Web.Jobs;

/// <summary>The scheduled entry point of <see cref="OutboxRelay"/>. It runs every two seconds, so the next tick is the retry.</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class RelayOutboxJob(OutboxRelay relay)
{
    public Task RunAsync(CancellationToken ct) => relay.DrainAsync(ct);
}
