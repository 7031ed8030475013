using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Media;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Announcements;

/// <summary>
/// A post with a picture, sent by each connector in its platform's own format (the stand-in platforms check the format
/// and refuse what the real one would), once, with the picture's address on the public base.
/// </summary>
public sealed class ImagePostTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string TelegramToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    private readonly TestData _data = new(database);

    private async Task<string> ProductPictureAsync()
    {
        var product = await _data.ProductAsync();
        using var upload = new MemoryStream(TestPictures.Jpeg(400, 300));
        return TestData.Succeeded(await Database.Get<ProductPictures>().AddAsync(TestData.Admin, product, upload, Ct)).Url;
    }

    private async Task<Guid> GroupWithEveryChannelAsync()
    {
        var group = await _data.GroupAsync();
        var channels = Database.Get<ChannelService>();
        var platforms = Database.Platforms.BaseAddress;
        foreach (var input in new ChannelInput[]
                 {
                     new(ChannelKind.WeCom, Key: "robot-key-pictures"),
                     new(ChannelKind.Telegram, Token: TelegramToken, ChatId: "-1001234567890"),
                     new(ChannelKind.Discord, Url: new Uri(platforms, "discord/pictures").ToString()),
                     new(ChannelKind.Slack, Url: new Uri(platforms, "slack/pictures").ToString()),
                     new(ChannelKind.Webhook, Url: new Uri(platforms, "hook/pictures").ToString(), Secret: PlatformServer.WebhookSecret),
                 })
        {
            TestData.Succeeded(await channels.AddAsync(TestData.Admin, group, input, Ct));
        }

        return group;
    }

    private async Task<Guid> AnnounceAsync(Guid group, string text, string image) =>
        TestData.Succeeded(await Database.Get<AnnouncementService>().ScheduleAsync(TestData.Admin, new AnnouncementInput([group], text, Image: image), Ct));

    [Fact]
    public async Task APostWithAPicture_GoesToEachPlatform_InItsFormat_Once()
    {
        var picture = await ProductPictureAsync();
        var group = await GroupWithEveryChannelAsync();
        var announcement = await AnnounceAsync(group, "Oolong gift box 🎁\nTonight 20:00, ¥9.90 instead of ¥19.90: https://shop.example.test/me/flash-sales/1", picture);

        await Database.Get<DeliveryDispatcher>().RunOnceAsync(Ct);
        await Database.Get<DeliveryDispatcher>().RunOnceAsync(Ct); // a second pass sends nothing again

        var expectedUrl = ImageLinks.Absolute(PostgresFixture.PublicBase, picture);
        var received = Database.Platforms.Received.ToDictionary(r => r.Platform);
        Assert.Equal(5, Database.Platforms.Received.Count);
        Assert.All(received.Values, r => Assert.Null(r.Refusal));
        Assert.All(received.Values, r => Assert.Equal(expectedUrl, r.ImageUrl));
        Assert.Equal("sendPhoto", received["telegram"].Format);
        Assert.Equal("news", received["wecom"].Format);
        Assert.Equal("embed", received["discord"].Format);
        Assert.Equal("blocks", received["slack"].Format);
        Assert.StartsWith("Oolong gift box 🎁\nTonight 20:00", received["telegram"].Text, StringComparison.Ordinal);
        Assert.StartsWith("Oolong gift box 🎁\nTonight 20:00", received["slack"].Text, StringComparison.Ordinal);
        Assert.All(TestData.Succeeded(await Database.Get<AnnouncementService>().DeliveriesAsync(TestData.Admin, announcement, Ct)),
            d => Assert.Equal((DeliveryStatus.Sent, 1), (d.Status, d.Attempts)));

        using var served = await new HttpClient().GetAsync(new Uri(Database.App.BaseAddress, picture), Ct); // what the platform fetches
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ATelegramPostTooLongForACaption_GoesAsOneMessage_WithThePictureAsItsLargePreview()
    {
        var picture = await ProductPictureAsync();
        var group = await _data.GroupAsync();
        TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group, new ChannelInput(ChannelKind.Telegram, Token: TelegramToken, ChatId: "-100555"), Ct));
        var text = "Tasting notes\n" + new string('a', TelegramConnector.MaxCaptionLength + 100);

        await AnnounceAsync(group, text, picture);
        await Database.Get<DeliveryDispatcher>().RunOnceAsync(Ct);

        var message = Assert.Single(Database.Platforms.Received);
        Assert.Equal(("sendMessage", text, ImageLinks.Absolute(PostgresFixture.PublicBase, picture), (string?)null),
            (message.Format, message.Text, message.ImageUrl, message.Refusal));
    }

    [Fact]
    public async Task AWeComPostTooLongForANewsCard_IsRefusedBeforeScheduling_AndTheSameTextAlonePasses()
    {
        var picture = await ProductPictureAsync();
        var group = await _data.GroupAsync();
        TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group, new ChannelInput(ChannelKind.WeCom, Key: "robot-key-long"), Ct));
        var text = "Gift box\n" + string.Concat(Enumerable.Repeat("乌龙茶礼盒，", 40)); // 720 bytes of description

        var withPicture = await Database.Get<AnnouncementService>().ScheduleAsync(TestData.Admin, new AnnouncementInput([group], text, Image: picture), Ct);
        var alone = await Database.Get<AnnouncementService>().ScheduleAsync(TestData.Admin, new AnnouncementInput([group], text), Ct);

        Assert.Equal("text_too_long_for_platform", withPicture.Failure?.Code);
        Assert.True(alone.Succeeded);
    }

    [Fact]
    public async Task Api_UploadsAPicture_ThenSchedulesAPostCarryingIt()
    {
        var group = await _data.GroupAsync();
        TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group,
            new ChannelInput(ChannelKind.Discord, Url: new Uri(Database.Platforms.BaseAddress, "discord/api-picture").ToString()), Ct));
        var api = Database.App.ApiClient();

        using var upload = await api.PostAsync("/api/v1/images", TestPictures.Form(TestPictures.Png(64, 64), "offer.png", "image/png"), Ct);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var url = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("url").GetString()!;
        using var post = await api.PostAsJsonAsync("/api/v1/announcements", new { groupIds = new[] { group }, text = "Fresh stock", image = url }, Ct);
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow.AddSeconds(1)); // the app scheduled it on the real clock
        await Database.Get<DeliveryDispatcher>().RunOnceAsync(Ct);

        var received = Assert.Single(Database.Platforms.Received);
        Assert.Equal(("embed", ImageLinks.Absolute(PostgresFixture.PublicBase, new Uri(url).AbsolutePath), (string?)null), (received.Format, received.ImageUrl, received.Refusal));
    }

    [Fact]
    public async Task APostNamingAPictureNotStoredHere_IsRefused()
    {
        var group = await _data.GroupAsync();

        var result = await Database.Get<AnnouncementService>().ScheduleAsync(TestData.Admin,
            new AnnouncementInput([group], "Look", Image: "https://elsewhere.example/cat.jpg"), Ct);

        Assert.Equal(("image_not_found", "image"), (result.Failure?.Code, result.Failure?.Violations[0].Field));
    }
}
