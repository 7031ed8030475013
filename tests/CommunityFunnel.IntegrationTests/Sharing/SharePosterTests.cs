using System.Net;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Application.Sharing;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Sharing;

/// <summary>A member's QR code and poster of their share link, and a group's join poster: whose they are, what they say, who may have them.</summary>
public sealed class SharePosterTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private SharingService Sharing => Database.Get<SharingService>();

    [Fact]
    public async Task MemberPosterAndQr_CarryTheMembersShareLink_AsAPhoneStoryPng()
    {
        var group = await _data.GroupAsync("普洱茶友会");
        var ada = await _data.MemberAsync(group, "王小明");
        using var phone = await SignedInAsync(ada);
        var shareLink = new Uri(Database.App.BaseAddress, $"/join/{await JoinCodeAsync(group)}?ref={await ReferralCodeAsync(ada)}").ToString();

        var poster = await phone.GetAsync($"/me/share/{group}/poster", Ct);
        var qr = await phone.GetAsync($"/me/share/{group}/qr", Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (poster.StatusCode, qr.StatusCode));
        Assert.Equal(("image/png", "image/png"), (poster.Content.Headers.ContentType?.MediaType, qr.Content.Headers.ContentType?.MediaType));
        Assert.Equal("attachment", poster.Content.Headers.ContentDisposition?.DispositionType); // "Save poster" saves it
        var posterPng = await poster.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal((PosterRenderer.Width, PosterRenderer.Height), QrImages.Size(posterPng));
        Assert.Equal(shareLink, QrImages.Decode(posterPng));
        Assert.Equal(shareLink, QrImages.Decode(await qr.Content.ReadAsByteArrayAsync(Ct)));
    }

    [Fact]
    public async Task MemberPictures_AreRefused_ForAnotherGroup_AGroupTheSessionDoesNotCover_AndWithoutASession()
    {
        var (mine, theirs, both) = (await _data.GroupAsync("Mine"), await _data.GroupAsync("Theirs"), await _data.GroupAsync("Both"));
        var ada = await _data.MemberAsync(mine, "Ada", "13800138000");
        Assert.Equal(ada, await _data.MemberAsync(both, "Ada", "13800138000")); // the same person, known by phone
        await _data.MemberAsync(theirs, "Eve");
        using var ada1 = await SignedInAsync(ada);
        using var adaInMineOnly = await SignedInAsync(ada, groupId: mine); // an operator's personal link sees its group only
        using var stranger = Database.App.CookieClient();

        foreach (var path in new[] { "poster", "qr" })
        {
            Assert.Equal(HttpStatusCode.OK, (await ada1.GetAsync($"/me/share/{both}/{path}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await ada1.GetAsync($"/me/share/{theirs}/{path}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await ada1.GetAsync($"/me/share/{Guid.NewGuid()}/{path}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await adaInMineOnly.GetAsync($"/me/share/{mine}/{path}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await adaInMineOnly.GetAsync($"/me/share/{both}/{path}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/me/share/{mine}/{path}", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task JoinPoster_ReadsAsTheJoinLink_ForTheGroupsOperator_AndIsRefusedToAnotherGroupsOperator()
    {
        var (mine, theirs) = (await _data.GroupAsync("Mine"), await _data.GroupAsync("Theirs"));
        await _data.OperatorAsync("op@test.local", mine);
        using var browser = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, "op@test.local", "operator-password-1");

        var own = await browser.GetAsync($"/groups/{mine}/join-poster", Ct);
        var other = await browser.GetAsync($"/groups/{theirs}/join-poster", Ct);
        using var anonymous = Database.App.CookieClient();
        var signedOut = await anonymous.GetAsync($"/groups/{mine}/join-poster", Ct);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var png = await own.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal((PosterRenderer.Width, PosterRenderer.Height), QrImages.Size(png));
        Assert.Equal(new Uri(Database.App.BaseAddress, $"/join/{await JoinCodeAsync(mine)}").ToString(), QrImages.Decode(png));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.DoesNotContain(await JoinCodeAsync(theirs), await other.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Redirect, "/login"), (signedOut.StatusCode, signedOut.Headers.Location?.AbsolutePath ?? signedOut.Headers.Location?.OriginalString.Split('?')[0]));
    }

    [Fact]
    public async Task OfferOfTheDay_IsALiveFlashSale_ThenAnOpenGroupBuy_ThenWhatStartsSoon_InTheGroupsLanguage()
    {
        var group = await _data.GroupAsync("Tea lovers"); // Asia/Shanghai: Simplified Chinese, yuan
        var ada = await _data.MemberAsync(group, "Ada");
        var session = MemberScope.AllGroupsOf(ada);
        var now = Database.Clock.GetUtcNow();
        Assert.Null((await Sharing.MemberPosterAsync(session, group, Ct))!.Headline);

        var product = await _data.ProductAsync(FunnelStage.Low, 19.9m);
        var sales = Database.Get<FlashSaleService>();
        TestData.Succeeded(await sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, product, 8m, 10, 1, now.AddDays(4), now.AddDays(4).AddHours(1)), Ct));
        TestData.Succeeded(await sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, product, 7m, 10, 1, now, now.AddHours(1), MinStage: FunnelStage.Mid), Ct));
        Assert.Null((await Sharing.MemberPosterAsync(session, group, Ct))!.Headline); // too far off, and one a newcomer may not buy

        TestData.Succeeded(await sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, product, 9.9m, 10, 1, now.AddHours(5), now.AddHours(6)), Ct));
        Assert.Equal("限时抢购：Low 19.9 ¥9.90", (await Sharing.MemberPosterAsync(session, group, Ct))!.Headline);

        TestData.Succeeded(await Database.Get<GroupBuyService>().CreateAsync(TestData.Admin,
            new GroupBuyInput(group, product, [new GroupBuyTier(2, 18m), new GroupBuyTier(5, 15m)], 2, now, now.AddDays(1)), Ct));
        Assert.StartsWith("拼团：Low 19.9 ¥", (await Sharing.GroupPosterAsync(TestData.Admin, group, Ct)).Value!.Headline, StringComparison.Ordinal);

        TestData.Succeeded(await sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, product, 6.5m, 10, 1, now, now.AddHours(1)), Ct));
        var poster = (await Sharing.GroupPosterAsync(TestData.Admin, group, Ct)).Value!;
        Assert.Equal(("限时抢购：Low 19.9 ¥6.50", null), (poster.Headline, poster.PersonName));
    }

    /// <summary>A phone with the member's session, opened through a personal link (made on the app's real clock, so it has not expired there).</summary>
    private async Task<HttpClient> SignedInAsync(Guid member, Guid? groupId = null)
    {
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var client = Database.App.CookieClient();
        var opened = await client.GetAsync($"/m/{await _data.PersonalLinkAsync(member, groupId: groupId)}", Ct);
        Assert.Equal("/me", opened.Headers.Location?.OriginalString);
        return client;
    }

    private async Task<string> JoinCodeAsync(Guid group)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Groups.Where(g => g.Id == group).Select(g => g.JoinCode).SingleAsync(Ct);
    }

    private async Task<string> ReferralCodeAsync(Guid member)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Members.Where(m => m.Id == member).Select(m => m.ReferralCode).SingleAsync(Ct);
    }
}
