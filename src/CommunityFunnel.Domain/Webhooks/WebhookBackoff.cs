namespace CommunityFunnel.Domain.Webhooks;

/// <summary>
/// When a webhook delivery that was not acknowledged is tried again: 10 s after the first failure, doubling up to an hour
/// between tries, never sooner than the receiver asked (Retry-After), and for as long as the retry window lasts (3 days
/// after the event, or after an admin's "send again"). The last try falls on the window's end; a failure at or after it
/// gives up.
/// </summary>
public static class WebhookBackoff
{
    public static readonly TimeSpan RetryWindow = TimeSpan.FromDays(3);
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan LongestDelay = TimeSpan.FromHours(1);

    /// <summary>How long a receiver that gave no answer at all is left alone before any of its deliveries is tried again.</summary>
    public static readonly TimeSpan UnreachablePause = TimeSpan.FromSeconds(30);

    /// <summary>The wait after <paramref name="consecutiveFailures"/> failures in a row (1 or more).</summary>
    public static TimeSpan DelayAfter(int consecutiveFailures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(consecutiveFailures, 1);
        var doublings = Math.Min(consecutiveFailures - 1, 30); // 2^30 tens of seconds is far past the cap: no overflow
        return TimeSpan.FromTicks(Math.Min(FirstDelay.Ticks << doublings, LongestDelay.Ticks));
    }

    /// <summary>
    /// The next try after a failure at <paramref name="failedAt"/>, or null to give up. A Retry-After longer than the
    /// backoff wins, but no wait is longer than <see cref="LongestDelay"/>.
    /// </summary>
    public static DateTimeOffset? NextAttempt(int consecutiveFailures, DateTimeOffset failedAt, DateTimeOffset giveUpAt, TimeSpan? retryAfter = null)
    {
        if (failedAt >= giveUpAt)
        {
            return null;
        }

        var delay = DelayAfter(consecutiveFailures);
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked < LongestDelay ? asked : LongestDelay;
        }

        var next = failedAt + delay;
        return next < giveUpAt ? next : giveUpAt;
    }

    /// <summary>
    /// How long every delivery to the same receiver waits after this failure, or null when the failure may concern this
    /// event alone (an answer such as 400 or 500). A busy receiver's Retry-After (429, 503) holds for all its events; one
    /// that gave no answer (refused, timed out) is paused briefly, so a dead receiver does not take every sending slot.
    /// </summary>
    public static TimeSpan? ReceiverPause(bool answered, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            return asked < LongestDelay ? asked : LongestDelay;
        }

        return answered ? null : UnreachablePause;
    }
}
