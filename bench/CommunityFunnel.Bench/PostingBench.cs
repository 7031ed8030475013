using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Groups;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Bench;

/// <summary>
/// 1,000 posts across 200 groups (one WeCom robot each) due at the same instant, sent by two dispatcher loops
/// (two app instances) against loopback robots. Prints lateness p50/p95/p99 and the time to drain against what the
/// rate limits allow; then 30 posts to one Slack webhook (1 a second), where the limit sets the pace.
/// </summary>
internal static class PostingBench
{
    public static async Task RunAsync(ServiceProvider services, LoopbackPlatforms platforms)
    {
        var admin = Actor.System;
        var groups = new List<Guid>();
        for (var i = 0; i < 200; i++)
        {
            var group = (await services.GetRequiredService<GroupService>().CreateAsync(admin,
                new GroupInput($"Bench group {i:D3}", ChatPlatform.WeCom, "Asia/Shanghai", "CNY", null, null, null), default)).Value;
            await services.GetRequiredService<ChannelService>().AddAsync(admin, group, new ChannelInput(ChannelKind.WeCom, Key: $"bench-robot-{i:D4}"), default);
            groups.Add(group);
        }

        Console.WriteLine();
        // A running app is warm: one post first, so JIT, connection pools and the key ring are not what gets measured.
        await MeasureAsync(services, platforms, "warm-up: 1 post", [groups[0]], postsPerGroup: 1, idealDrain: TimeSpan.Zero);
        for (var round = 1; round <= 3; round++) // three bursts (15 posts per robot, within its 20 a minute): the spread shows
        {
            await MeasureAsync(services, platforms, $"1,000 posts, 200 groups, one instant (burst {round} of 3)", groups, postsPerGroup: 5, idealDrain: TimeSpan.Zero);
        }


        var slackGroup = (await services.GetRequiredService<GroupService>().CreateAsync(admin,
            new GroupInput("Bench Slack", ChatPlatform.Slack, "Europe/Madrid", "EUR", null, null, null), default)).Value;
        await services.GetRequiredService<ChannelService>().AddAsync(admin, slackGroup,
            new ChannelInput(ChannelKind.Slack, Url: new Uri(platforms.BaseAddress, "slack/bench").ToString()), default);
        await MeasureAsync(services, platforms, "30 posts to one Slack webhook (1/s)", [slackGroup], postsPerGroup: 30, idealDrain: TimeSpan.FromSeconds(29));
    }

    private static async Task MeasureAsync(ServiceProvider services, LoopbackPlatforms platforms, string name, List<Guid> groups, int postsPerGroup, TimeSpan idealDrain)
    {
        var dueAt = DateTimeOffset.UtcNow.AddSeconds(5);
        var announcements = services.GetRequiredService<AnnouncementService>();
        for (var i = 0; i < postsPerGroup; i++)
        {
            await announcements.ScheduleAsync(Actor.System, new AnnouncementInput(groups, $"Flash sale {i} at 20:00 in {{group}}", dueAt), default);
        }

        await using (var analyze = await services.GetRequiredService<IDbContextFactory<CommunityFunnelDbContext>>().CreateDbContextAsync())
        {
            await analyze.Database.ExecuteSqlRawAsync("ANALYZE"); // fresh tables: give the planner the statistics a live database has
        }

        var expected = groups.Count * postsPerGroup;
        GC.Collect(); // the set-up's garbage (200 groups and their channels) is not the burst's
        GC.WaitForPendingFinalizers();
        var arrivedBefore = platforms.Arrivals.Count;
        using var stop = new CancellationTokenSource();
        var instances = Enumerable.Range(0, 2).Select(_ => ActivatorUtilities.CreateInstance<DispatchLoop>(services).RunAsync(stop.Token)).ToList();
        var factory = services.GetRequiredService<IDbContextFactory<CommunityFunnelDbContext>>();
        List<(DateTimeOffset Due, DateTimeOffset Sent)> sent = [];
        var giveUp = DateTimeOffset.UtcNow + idealDrain + TimeSpan.FromMinutes(2);
        // Watch the receiver in memory while the burst runs, so the measuring does not compete with it for the CPU.
        while (platforms.Arrivals.Count - arrivedBefore < expected && DateTimeOffset.UtcNow < giveUp)
        {
            await Task.Delay(50);
        }

        while (DateTimeOffset.UtcNow < giveUp)
        {
            await Task.Delay(100);
            await using var db = await factory.CreateDbContextAsync();
            sent = (await db.Deliveries.Where(d => d.Status == DeliveryStatus.Sent && d.DueAt == dueAt).Select(d => new { d.DueAt, d.SentAt }).ToListAsync())
                .Select(d => (d.DueAt, d.SentAt!.Value)).ToList();
            if (sent.Count == expected)
            {
                break;
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(instances);
        var acknowledged = sent.Select(s => (s.Sent - s.Due).TotalMilliseconds).Order().ToList();
        var arrived = platforms.Arrivals.Skip(arrivedBefore).Select(a => (a - dueAt).TotalMilliseconds).Order().ToList();
        var drain = sent.Count == 0 ? TimeSpan.Zero : sent.Max(s => s.Sent) - dueAt;
        Console.WriteLine($"{name}: {sent.Count}/{expected} sent exactly once ({platforms.Arrivals.Count} requests arrived in all so far)");
        Console.WriteLine($"  lateness ms, arrived at the platform  {Percentiles(arrived)}");
        Console.WriteLine($"  lateness ms, acknowledged (sent_at)   {Percentiles(acknowledged)}");
        Console.WriteLine($"  drain {drain.TotalSeconds:0.00} s; rate limits allow {idealDrain.TotalSeconds:0.00} s (excess {(drain - idealDrain).TotalSeconds:0.00} s)");
    }

    private static string Percentiles(List<double> sorted)
    {
        double P(double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * q))];
        return $"first {sorted.FirstOrDefault():0}  p50 {P(0.50):0}  p95 {P(0.95):0}  p99 {P(0.99):0}  max {sorted.LastOrDefault():0}";
    }
}
