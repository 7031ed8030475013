namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// When a post's request may complete. Everything slow (connecting, TLS, headers) happens as soon as the request starts;
/// the body, without which no platform acts on a request, is written when <see cref="Leaves"/> completes. So a burst
/// due at one instant is on the wire, connected and waiting, before that instant.
/// </summary>
public sealed record Departure(Task Leaves, TimeSpan LongestWait)
{
    public static Departure Now { get; } = new(Task.CompletedTask, TimeSpan.Zero);

    /// <summary>True once the body may have been written: after that a stop can no longer take the post back.</summary>
    public bool HasLeft => Leaves.IsCompletedSuccessfully;

    public static Departure At(DateTimeOffset instant, TimeProvider clock, CancellationToken ct)
    {
        var wait = instant - clock.GetUtcNow();
        return wait <= TimeSpan.Zero ? Now : new Departure(UntilAsync(instant, clock, ct), wait);
    }

    /// <summary>Timers round to milliseconds and may fire a little early; a post must not leave before its time.</summary>
    private static async Task UntilAsync(DateTimeOffset instant, TimeProvider clock, CancellationToken ct)
    {
        for (var wait = instant - clock.GetUtcNow(); wait > TimeSpan.Zero; wait = instant - clock.GetUtcNow())
        {
            await Task.Delay(wait, clock, ct);
        }
    }
}
