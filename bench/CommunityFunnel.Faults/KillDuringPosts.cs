using Npgsql;

namespace CommunityFunnel.Faults;

/// <summary>
/// Scenario c: kill -9 of one instance in the middle of a burst of posts: 300 groups, one WeCom robot each, one post
/// each, due within three seconds and sent by the three instances' dispatchers. The robots hold their answers, so
/// the killed instance leaves requests in flight. No post may arrive twice; each ends Sent (and arrived once) or
/// NeedsCheck (its request had left and its answer was lost); none is lost.
/// </summary>
internal static class KillDuringPosts
{
    private const int Groups = 300;
    private static readonly TimeSpan AnswerDelay = TimeSpan.FromSeconds(1.5);
    private const int Waves = 6;
    private static readonly TimeSpan WaveSpacing = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan KillAfterDue = TimeSpan.FromSeconds(1.2);
    // a dead dispatcher's deliveries wait for their lease (one minute) before another instance settles them
    private static readonly TimeSpan SettleWithin = TimeSpan.FromSeconds(150);
    private static readonly string[] Settled = ["Sent", "NeedsCheck", "Failed", "Expired", "Cancelled"];

    public static async Task RunAsync(Findings findings, CancellationToken ct)
    {
        Findings.Heading("c. kill -9 of one instance mid-burst of posts");
        await using var topology = await Topology.StartAsync(ct);
        try
        {
            using var http = topology.ApiClient(TimeSpan.FromSeconds(30));
            var api = new FunnelApi(http);
            var groups = new Guid[Groups];
            await Parallel.ForAsync(0, Groups, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
            {
                groups[i] = await api.CreateGroupAsync($"Burst group {i:D3}", token);
                await api.AddWeComRobotAsync(groups[i], $"burst-{i:D3}", token);
            });

            // Six instants half a second apart, 50 posts each: a dispatcher claims a whole due instant in one batch, so
            // several instants spread the burst over the instances, and the kill lands in the middle of it.
            topology.Robots.AnswerDelay = AnswerDelay;
            var dueAt = DateTimeOffset.UtcNow.AddSeconds(8);
            var announcements = new List<Guid>();
            foreach (var wave in groups.Chunk(Groups / Waves).Select((wave, i) => (Groups: wave, Due: dueAt + i * WaveSpacing)))
            {
                announcements.Add(await api.ScheduleAnnouncementAsync(wave.Groups, "Flash sale at 20:00 in {group}", wave.Due, ct));
            }

            // Killed once the first post has arrived, while the robots hold their answers: the instance with the most
            // requests open to the robots is the one sending (a dispatcher claims a whole due instant in one batch).
            while (topology.Robots.Received.IsEmpty && DateTimeOffset.UtcNow < dueAt + TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20, ct);
            }

            await DelayUntilAsync(dueAt + KillAfterDue, ct);
            var inFlight = topology.Apps.ToDictionary(a => a, a => a.ConnectionsTo(topology.Robots.BaseAddress.Port));
            var victim = inFlight.MaxBy(a => a.Value).Key;
            await victim.KillAsync();
            var killedAt = DateTimeOffset.UtcNow;
            var receivedAtKill = topology.Robots.Received.Values.Sum(q => q.Count);

            List<(string Text, string Status, DateTimeOffset? SentAt)> deliveries = [];
            while (DateTimeOffset.UtcNow < killedAt + SettleWithin)
            {
                deliveries = await DeliveriesAsync(topology.Postgres, announcements, ct);
                if (deliveries.All(d => Settled.Contains(d.Status)))
                {
                    break;
                }

                await Task.Delay(1000, ct);
            }

            var settledAfter = DateTimeOffset.UtcNow - killedAt;
            var arrivals = topology.Robots.Received.SelectMany(r => r.Value.Select(m => (Key: r.Key, m.Text))).ToList();
            var arrivalsPerText = arrivals.GroupBy(a => a.Text).ToDictionary(g => g.Key, g => g.Count());
            var twice = arrivalsPerText.Count(a => a.Value > 1);
            var wrongRobot = arrivals.Count(a => a.Text != $"Flash sale at 20:00 in Burst group {a.Key["burst-".Length..]}");
            var sent = deliveries.Where(d => d.Status == "Sent").ToList();
            var needsCheck = deliveries.Where(d => d.Status == "NeedsCheck").ToList();
            var sentNotArrived = sent.Count(d => arrivalsPerText.GetValueOrDefault(d.Text) != 1);
            var unsettled = deliveries.Where(d => d.Status is not ("Sent" or "NeedsCheck")).GroupBy(d => d.Status).ToList();

            Findings.Table(
                ("burst", $"{Groups} posts (one per group, one WeCom robot each), due in {Waves} instants {WaveSpacing.TotalSeconds:0.0} s apart; robots answer after {AnswerDelay.TotalSeconds:0.0} s"),
                ("connections open to the robots at the kill", string.Join(", ", inFlight.Select(a => $"{a.Key.Name} {a.Value}"))),
                ("instance killed (SIGKILL)", $"{victim.Name} at first due + {(killedAt - dueAt).TotalSeconds:0.00} s, {receivedAtKill} posts had arrived by then"),
                ("deliveries Sent", sent.Count),
                ("deliveries NeedsCheck (arrived / never arrived)", $"{needsCheck.Count} ({needsCheck.Count(d => arrivalsPerText.ContainsKey(d.Text))} / {needsCheck.Count(d => !arrivalsPerText.ContainsKey(d.Text))})"),
                ("deliveries in any other state at the end", unsettled.Count == 0 ? "0" : string.Join(", ", unsettled.Select(g => $"{g.Key} x {g.Count()}"))),
                ("posts received twice", twice),
                ("every delivery settled after the kill in", $"{settledAfter.TotalSeconds:0} s"),
                ("last Sent, after the first due instant", sent.Count == 0 ? "none" : $"{(sent.Max(d => d.SentAt!.Value) - dueAt).TotalSeconds:0.0} s"));

            findings.Check("no post received twice", twice == 0, $"{twice} posts arrived more than once");
            findings.Check("every post arrived at its own group's robot", wrongRobot == 0, $"{wrongRobot} misrouted");
            findings.Check("each delivery is Sent or NeedsCheck (none lost, none stuck)", deliveries.Count == Groups && unsettled.Count == 0,
                $"{deliveries.Count} deliveries, {sent.Count} Sent, {needsCheck.Count} NeedsCheck");
            findings.Check("every Sent post arrived exactly once", sentNotArrived == 0, $"{sentNotArrived} Sent but not received once");
        }
        catch
        {
            topology.PrintLogTails();
            throw;
        }
    }

    private static Task DelayUntilAsync(DateTimeOffset instant, CancellationToken ct) =>
        instant - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? Task.Delay(wait, ct) : Task.CompletedTask;

    private static async Task<List<(string Text, string Status, DateTimeOffset? SentAt)>> DeliveriesAsync(LocalPostgres postgres, List<Guid> announcements, CancellationToken ct)
    {
        await using var connection = await postgres.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT p.text, d.status, d.sent_at FROM funnel.deliveries d JOIN funnel.posts p ON p.id = d.post_id WHERE p.announcement_id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = announcements.ToArray() });
        var rows = new List<(string, string, DateTimeOffset?)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return rows;
    }
}
