using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Webhooks;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Webhooks;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CommunityFunnel.IntegrationTests.Infrastructure.TestData;

namespace CommunityFunnel.IntegrationTests.Webhooks;

/// <summary>From an event in the outbox to a signed request on a real loopback receiver, across failures, crashes and reruns.</summary>
public sealed class WebhookDeliveryTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);
    private EventReceiver _receiver = null!;

    private WebhookService Webhooks => Database.Get<WebhookService>();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await EventReceiver.StartAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task APaidOrder_ReachesTheReceiver_SignedAndCarryingItsEventId()
    {
        var subscription = await SubscribeAsync("orders", "order.paid");
        var order = await PayAnOrderAsync(); // also raises member.joined and member.stage_changed, which nobody here subscribed to

        await RelayAsync();
        await SendAsync();

        var received = Assert.Single(_receiver.Received);
        Guid eventId;
        await using (var db = await Database.CreateDbContextAsync())
        {
            eventId = await db.OutboxMessages.Where(m => m.Type == "order.paid").Select(m => m.Id).SingleAsync(Ct);
        }

        Assert.True(received.IsSignedWith(EventReceiver.Secret));
        Assert.Equal(Database.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(), received.Timestamp);
        Assert.Equal((eventId.ToString(), "order.paid"), (received.EventId, received.EventType));
        Assert.StartsWith("application/json", received.ContentType, StringComparison.Ordinal);
        var body = received.Json;
        Assert.Equal(["id", "type", "occurredAt", "data"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(eventId, body.GetProperty("id").GetGuid());
        Assert.Equal("order.paid", body.GetProperty("type").GetString());
        Assert.Equal(PostgresFixture.Start, body.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal(order, body.GetProperty("data").GetProperty("orderId").GetGuid());
        Assert.Equal(19.9m, body.GetProperty("data").GetProperty("amount").GetDecimal());

        var delivery = await SingleDeliveryAsync(subscription);
        Assert.Equal((WebhookDeliveryStatus.Delivered, 1, 200, (string?)null), (delivery.Status, delivery.Attempts, delivery.LastStatusCode, delivery.LastError));
        Assert.Equal(PostgresFixture.Start, delivery.FinishedAt);
    }

    [Fact]
    public async Task AReceiverFailingWith500_GetsTheEventOnALaterAttempt_WithTheSameIdAndBody()
    {
        var subscription = await SubscribeAsync("flaky", "order.paid");
        _receiver.Script("flaky", Reply.ServerError());
        await PayAnOrderAsync();
        await RelayAsync();

        await SendAsync();
        var failed = await SingleDeliveryAsync(subscription);
        Assert.Equal((WebhookDeliveryStatus.Pending, 1, 500), (failed.Status, failed.Attempts, failed.LastStatusCode));
        Assert.Equal("""Internal Server Error: {"error":"internal"}""", failed.LastError);
        Assert.Equal(PostgresFixture.Start + WebhookBackoff.FirstDelay, failed.NextAttemptAt);

        Database.Clock.Advance(WebhookBackoff.FirstDelay - TimeSpan.FromSeconds(1));
        await SendAsync();
        Assert.Single(_receiver.Received); // not before its backoff

        Database.Clock.Advance(TimeSpan.FromSeconds(1));
        await SendAsync();

        Assert.Equal(2, _receiver.Received.Count);
        Assert.Single(_receiver.Received.Select(r => (r.EventId, r.Body)).Distinct());
        Assert.All(_receiver.Received, r => Assert.True(r.IsSignedWith(EventReceiver.Secret)));
        var details = Succeeded(await Webhooks.DeliveryAsync(Admin, subscription, failed.EventId, Ct));
        Assert.Equal((WebhookDeliveryStatus.Delivered, 2), (details.Delivery.Status, details.Delivery.Attempts));
        Assert.Equal([(1, (int?)500), (2, 200)], details.AttemptLog.Select(a => (a.Number, a.StatusCode)));
        Assert.Equal(_receiver.Received.First().Body, details.Body);
    }

    [Fact]
    public async Task TheSecret_IsNeverStoredInTheLogOrLogged_EvenWhenTheReceiverEchoesIt()
    {
        var subscription = await SubscribeAsync("echo", "order.paid");
        _receiver.Script("echo", new Reply(400, new { error = "bad signature", expected = EventReceiver.Secret }));
        await PayAnOrderAsync();
        await RelayAsync();

        await SendAsync();

        var delivery = await SingleDeliveryAsync(subscription);
        Assert.Equal("""Bad Request: {"error":"bad signature","expected":"[secret]"}""", delivery.LastError);
        Assert.DoesNotContain(Database.Logs.Messages, m => m.Contains(EventReceiver.Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(Database.Logs.Messages, m => m.Contains(_receiver.Url("echo"), StringComparison.Ordinal)); // addresses may carry tokens too
        await using var db = await Database.CreateDbContextAsync();
        Assert.DoesNotContain(EventReceiver.Secret, (await db.WebhookAttempts.SingleAsync(Ct)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A429_PausesTheReceiverForTheRetryAfterItAskedFor()
    {
        var subscription = await SubscribeAsync("busy", "member.joined");
        _receiver.Script("busy", new Reply(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "120" }));
        await JoinAsync(3);
        await RelayAsync();

        await SendAsync(); // all three go at once; one is refused with Retry-After: 120
        Assert.Equal(3, _receiver.Arrived);
        var waiting = Assert.Single(Succeeded(await Webhooks.DeliveriesAsync(Admin, subscription, WebhookDeliveryStatus.Pending, null, null, Ct)).Items);
        Assert.Equal(PostgresFixture.Start.AddSeconds(120), waiting.NextAttemptAt);
        Assert.Equal(PostgresFixture.Start.AddSeconds(120), Succeeded(await Webhooks.GetAsync(Admin, subscription, Ct)).PausedUntil);

        await JoinAsync(1);
        await RelayAsync();
        Database.Clock.Advance(TimeSpan.FromSeconds(119));
        await SendAsync();
        Assert.Equal(3, _receiver.Arrived); // the new event waits for the receiver's pause too

        Database.Clock.Advance(TimeSpan.FromSeconds(1));
        await SendAsync();
        Assert.Equal(5, _receiver.Arrived);
        Assert.All(Succeeded(await Webhooks.DeliveriesAsync(Admin, subscription, null, null, null, Ct)).Items, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
    }

    [Fact]
    public async Task AnInstanceThatStopsMidSend_LeavesTheDeliveryToBeSentAgainAfterItsLease_AndDeliveredOnesAreNeverResent()
    {
        var subscription = await SubscribeAsync("slow", "order.paid");
        _receiver.Script("slow", Reply.Hangs(TimeSpan.FromSeconds(30)));
        await PayAnOrderAsync();
        await RelayAsync();

        await using (var crashing = AnotherInstance())
        {
            using var stop = new CancellationTokenSource();
            var sending = crashing.GetRequiredService<WebhookSender>().SendDueAsync(stop.Token);
            await WaitUntilAsync(() => _receiver.Arrived == 1); // the request is out; the receiver is slow to answer
            await stop.CancelAsync(); // the instance goes down before the answer
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        }

        Assert.Equal(WebhookDeliveryStatus.Sending, (await SingleDeliveryAsync(subscription)).Status);
        await SendAsync();
        Assert.Equal(1, _receiver.Arrived); // still under the stopped instance's lease

        Database.Clock.Advance(WebhookDeliveryStore.Lease + TimeSpan.FromSeconds(1));
        await SendAsync();

        Assert.Equal(2, _receiver.Arrived); // at least once: the receiver deduplicates on the event id
        Assert.Single(_receiver.Received.Select(r => r.EventId).Distinct());
        var delivery = await SingleDeliveryAsync(subscription);
        Assert.Equal((WebhookDeliveryStatus.Delivered, 2), (delivery.Status, delivery.Attempts));
        var log = Succeeded(await Webhooks.DeliveryAsync(Admin, subscription, delivery.EventId, Ct)).AttemptLog;
        Assert.Equal([(1, (int?)null), (2, 200)], log.Select(a => (a.Number, a.StatusCode)));
        Assert.StartsWith("No outcome recorded", log[0].Error, StringComparison.Ordinal);

        Database.Clock.Advance(TimeSpan.FromDays(4));
        await RelayAsync();
        await SendAsync();
        Assert.Equal(2, _receiver.Arrived); // delivered is final

        Succeeded(await Webhooks.RedeliverAsync(Admin, subscription, delivery.EventId, Ct)); // except for "send again"
        await SendAsync();
        await SendAsync();
        Assert.Equal(3, _receiver.Arrived);
        Assert.Single(_receiver.Received.Select(r => r.Body).Distinct());
        Assert.Equal((WebhookDeliveryStatus.Delivered, 3), ((await SingleDeliveryAsync(subscription)).Status, (await SingleDeliveryAsync(subscription)).Attempts));
    }

    [Fact]
    public async Task ASecondRunOnTheSameInstance_ReturnsAtOnce_WhileTheFirstIsStillSending()
    {
        await SubscribeAsync("hanging", "order.paid");
        _receiver.Script("hanging", Reply.Hangs(TimeSpan.FromSeconds(1)));
        await PayAnOrderAsync();
        await RelayAsync();

        var first = SendAsync();
        await WaitUntilAsync(() => _receiver.Arrived == 1);
        var second = await SendAsync(); // the recurring job fired again: runs must not pile up

        Assert.Equal(0, second);
        Assert.Equal(1, await first);
        Assert.Equal(1, _receiver.Arrived);
    }

    [Fact]
    public async Task RelayingAMessageAgain_QueuesNoSecondDelivery()
    {
        var first = await SubscribeAsync("one", "order.paid");
        var second = await SubscribeAsync("two", "order.paid", "member.joined");
        await PayAnOrderAsync();
        await RelayAsync();

        await using (var db = await Database.CreateDbContextAsync())
        {
            // as if the relay's commit was lost after its subscribers ran, and two instances relay the batch again at once
            var messages = await db.OutboxMessages.ToListAsync(Ct);
            var fanOut = Database.Services.GetServices<IOutboxSubscriber>().Single(s => s.GetType().Name == "WebhookFanOut");
            await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                await using var relay = await Database.CreateDbContextAsync();
                await using var tx = await relay.Database.BeginTransactionAsync(Ct);
                await fanOut.HandleAsync(relay, messages, Ct);
                await tx.CommitAsync(Ct);
            }));
            await db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.RelayedAt, (DateTimeOffset?)null), Ct);
        }

        await RelayAsync();
        await SendAsync();

        Assert.Single(Succeeded(await Webhooks.DeliveriesAsync(Admin, first, null, null, null, Ct)).Items);
        Assert.Equal(2, Succeeded(await Webhooks.DeliveriesAsync(Admin, second, null, null, null, Ct)).Items.Count); // order.paid, member.joined
        Assert.Single(_receiver.On("one"));
        Assert.Equal(2, _receiver.On("two").Count);
    }

    [Fact]
    public async Task TwoInstances_ShareTheQueue_AndPostEachEventOnce()
    {
        var subscription = await SubscribeAsync("many", "member.joined");
        await using (var db = await Database.CreateDbContextAsync())
        {
            for (var i = 0; i < 300; i++)
            {
                db.OutboxMessages.Add(new OutboxMessage("member.joined", $$"""{"memberId":"{{Guid.NewGuid()}}","n":{{i}}}""", Database.Clock.GetUtcNow()));
            }

            await db.SaveChangesAsync(Ct);
        }

        await RelayAsync();
        await using var other = AnotherInstance(maxConcurrentRequests: 8);
        var counts = await Task.WhenAll(Task.Run(() => SendAsync()), Task.Run(() => other.GetRequiredService<WebhookSender>().SendDueAsync(Ct)));

        Assert.Equal(300, _receiver.Arrived);
        Assert.Equal(300, _receiver.Received.Select(r => r.EventId).Distinct().Count());
        Assert.Equal(300, counts.Sum());
        Assert.All(Succeeded(await Webhooks.DeliveriesAsync(Admin, subscription, null, null, 300, Ct)).Items, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
        Assert.All(counts, c => Assert.True(c > 0, "both instances took part"));
    }

    [Fact]
    public async Task AReceiverThatNeverAcknowledges_IsTriedForThreeDays_ThenGivenUp()
    {
        var subscription = await SubscribeAsync("down", "order.paid");
        _receiver.Script("down", [.. Enumerable.Repeat(Reply.ServerError(), 200)]);
        await PayAnOrderAsync();
        await RelayAsync();

        await SendAsync();
        var delivery = await SingleDeliveryAsync(subscription);
        while (delivery.NextAttemptAt is { } next)
        {
            Database.Clock.SetUtcNow(next);
            await SendAsync();
            delivery = await SingleDeliveryAsync(subscription);
        }

        var giveUpAt = PostgresFixture.Start + WebhookBackoff.RetryWindow;
        Assert.Equal((WebhookDeliveryStatus.Failed, giveUpAt, giveUpAt), (delivery.Status, delivery.LastAttemptAt, delivery.FinishedAt));
        Assert.Equal(delivery.Attempts, _receiver.Arrived);
        Assert.InRange(delivery.Attempts, 75, 85);
        Assert.Equal(1, Succeeded(await Webhooks.GetAsync(Admin, subscription, Ct)).Failed);

        Database.Clock.Advance(TimeSpan.FromDays(1));
        await SendAsync();
        Assert.Equal(delivery.Attempts, _receiver.Arrived);
    }

    [Fact]
    public async Task APrivateAddress_IsRefusedAtSubscriptionAndAtConnection_UnlessAllowed()
    {
        var subscription = await SubscribeAsync("internal", "order.paid"); // created while private addresses are allowed
        await using var strict = AnotherInstance(allowPrivateAddresses: false);
        var refused = await strict.GetRequiredService<WebhookService>().CreateAsync(Admin, new WebhookInput(_receiver.Url("other"), ["order.paid"], EventReceiver.Secret), Ct);
        Assert.Equal("private_address", refused.Failure?.Code);

        await PayAnOrderAsync();
        await RelayAsync();
        await strict.GetRequiredService<WebhookSender>().SendDueAsync(Ct);

        Assert.Equal(0, _receiver.Arrived);
        var delivery = await SingleDeliveryAsync(subscription);
        Assert.Equal((WebhookDeliveryStatus.Pending, (int?)null), (delivery.Status, delivery.LastStatusCode));
        Assert.Equal("Refused: 127.0.0.1 is a private or loopback address.", delivery.LastError);
        Assert.Equal(PostgresFixture.Start + WebhookBackoff.UnreachablePause, Succeeded(await Webhooks.GetAsync(Admin, subscription, Ct)).PausedUntil);
    }

    [Fact]
    public async Task ADisabledSubscription_GetsNothing_AndWhatWaitedGoesOutWhenEnabledAgain()
    {
        var subscription = await SubscribeAsync("paused", "member.joined");
        await JoinAsync(1);
        await RelayAsync();
        Succeeded(await Webhooks.DisableAsync(Admin, subscription, Ct));
        await JoinAsync(1);
        await RelayAsync();
        await SendAsync();
        Assert.Equal(0, _receiver.Arrived);

        Succeeded(await Webhooks.EnableAsync(Admin, subscription, Ct));
        await SendAsync();

        Assert.Equal(1, _receiver.Arrived); // the event from while it was disabled was never queued for it
        Assert.Single(Succeeded(await Webhooks.DeliveriesAsync(Admin, subscription, null, null, null, Ct)).Items);
    }

    [Fact]
    public async Task Housekeeping_PurgesWhatFinished30DaysAgo_AndKeepsTheRest()
    {
        var subscription = await SubscribeAsync("old", "member.joined");
        _receiver.Script("old", Reply.ServerError());
        await JoinAsync(2);
        await RelayAsync();
        await SendAsync(); // one delivered, one waiting for its next attempt

        Database.Clock.Advance(TimeSpan.FromDays(31));
        var purgedMessages = await Database.Get<OutboxHousekeeping>().PurgeAsync(Ct);
        var purgedDeliveries = await Database.Get<WebhookHousekeeping>().PurgeAsync(Ct);

        Assert.Equal(2, purgedMessages);
        Assert.Equal(1, purgedDeliveries);
        var left = Assert.Single(Succeeded(await Webhooks.DeliveriesAsync(Admin, subscription, null, null, null, Ct)).Items);
        Assert.Equal(WebhookDeliveryStatus.Pending, left.Status);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.WebhookAttempts.CountAsync(Ct)); // the purged delivery's attempt went with it
    }

    private async Task<Guid> SubscribeAsync(string path, params string[] events) =>
        Succeeded(await Webhooks.CreateAsync(Admin, new WebhookInput(_receiver.Url(path), events, EventReceiver.Secret), Ct));

    private async Task<Guid> PayAnOrderAsync()
    {
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync(FunnelStage.Low, 19.9m);
        var member = await _data.MemberAsync(group);
        return await _data.OrderAsync(member, group, product, paid: true);
    }

    private async Task JoinAsync(int members)
    {
        var group = await _data.GroupAsync($"Group {Guid.NewGuid():N}");
        await _data.MembersAsync(group, members);
    }

    private Task<int> RelayAsync() => Database.Get<OutboxRelay>().DrainAsync(Ct);

    private Task<int> SendAsync() => Database.Get<WebhookSender>().SendDueAsync(Ct);

    private async Task<WebhookDeliveryRow> SingleDeliveryAsync(Guid subscription) =>
        Assert.Single(Succeeded(await Webhooks.DeliveriesAsync(Admin, subscription, null, null, null, Ct)).Items);

    /// <summary>A second app instance on the same database (its own sender, HTTP client and options), on the same test clock.</summary>
    private ServiceProvider AnotherInstance(bool allowPrivateAddresses = true, int maxConcurrentRequests = 32) =>
        Database.AnotherInstance(services => services
            .Configure<ChannelOptions>(options => options.AllowPrivateAddresses = allowPrivateAddresses)
            .Configure<WebhookOptions>(options => options.MaxConcurrentRequests = maxConcurrentRequests));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(20, Ct);
        }
    }
}
