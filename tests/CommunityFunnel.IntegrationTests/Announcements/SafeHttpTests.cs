using System.Net;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Announcements;

/// <summary>Where outbound posts may go: no special-purpose address, and never where a redirect points.</summary>
public sealed class SafeHttpTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Theory]
    [InlineData("64:ff9b::8.8.8.8")] // NAT64, well-known prefix
    [InlineData("64:ff9b:1::a00:1")] // NAT64, local use
    [InlineData("2002:c0a8:101::1")] // 6to4 (of 192.168.1.1)
    [InlineData("2001:0:4136:e378::1")] // Teredo
    [InlineData("2001:db8::1")]
    [InlineData("3fff::1")]
    [InlineData("100::1")]
    [InlineData("ff02::1")]
    [InlineData("fec0::1")]
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.254")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.1")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("192.88.99.1")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.251")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("10.1.2.3")]
    [InlineData("172.31.0.1")]
    [InlineData("192.168.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::ffff:198.18.0.1")] // IPv4-mapped: judged on the embedded IPv4
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:240.0.0.1")]
    [InlineData("::c0a8:101")] // IPv4-compatible ::192.168.1.1
    [InlineData("::7f00:1")] // IPv4-compatible ::127.0.0.1
    public void IsPrivate_RefusesTheAddress_WhenItIsNotGloballyReachable(string address) =>
        Assert.True(SafeHttp.IsPrivate(IPAddress.Parse(address)));

    [Theory]
    [InlineData("149.154.167.220")] // api.telegram.org
    [InlineData("8.8.8.8")]
    [InlineData("198.20.0.1")] // just past 198.18.0.0/15
    [InlineData("192.0.1.1")] // just past 192.0.0.0/24
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2606:4700::6810:84e5")]
    [InlineData("2001:200::1")] // just past 2001::/23
    public void IsPrivate_AllowsTheAddress_WhenItIsPublic(string address) =>
        Assert.False(SafeHttp.IsPrivate(IPAddress.Parse(address)));

    [Fact]
    public async Task ARedirect_IsNeverFollowed_AndTheSignedBodyReachesNoOtherHost()
    {
        await using var elsewhere = await PlatformServer.StartAsync(); // another loopback port: the redirect's target
        var target = new Uri(elsewhere.BaseAddress, "hook/stolen").ToString();
        var group = await _data.GroupAsync();
        TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group,
            new ChannelInput(ChannelKind.Webhook, Url: new Uri(Database.Platforms.BaseAddress, "hook/moved").ToString(), Secret: PlatformServer.WebhookSecret), Ct));
        Database.Platforms.Script("moved", new Reply(307, Headers: new Dictionary<string, string> { ["Location"] = target }));
        var announcement = TestData.Succeeded(await Database.Get<AnnouncementService>().ScheduleAsync(TestData.Admin,
            new AnnouncementInput([group], "Signed and sealed"), Ct));

        await Database.Get<DeliveryDispatcher>().RunOnceAsync(Ct);

        Assert.Empty(elsewhere.Received);
        var delivery = Assert.Single(TestData.Succeeded(await Database.Get<AnnouncementService>().DeliveriesAsync(TestData.Admin, announcement, Ct)));
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Contains("follow no redirects", delivery.LastResponse, StringComparison.Ordinal);
        Assert.Equal(1, Database.Platforms.CountFor("moved"));
    }
}
