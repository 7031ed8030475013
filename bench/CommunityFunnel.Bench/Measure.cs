using System.Diagnostics;

namespace CommunityFunnel.Bench;

internal sealed record Timing(double P50, double P95);

internal static class Measure
{
    /// <summary>Runs <paramref name="action"/> a few times to warm up, then <paramref name="rounds"/> times, timing each.</summary>
    public static async Task<Timing> RunAsync(int rounds, Func<Task> action)
    {
        for (var i = 0; i < 3; i++)
        {
            await action();
        }

        var samples = new List<double>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return new Timing(samples[rounds / 2], samples[(int)(rounds * 0.95)]);
    }
}
