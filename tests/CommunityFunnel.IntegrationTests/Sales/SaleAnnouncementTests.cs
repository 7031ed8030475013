using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;
using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityFunnel.IntegrationTests.Sales;

/// <summary>Sales announce themselves through posts and deliveries: teasers, "live now", "N left" and "sold out", each once, withdrawn on cancel.</summary>
public sealed class SaleAnnouncementTests(PostgresFixture database) : DatabaseTest(database)
{
    private static readonly Uri Site = new("https://shop.example/");
    private readonly TestData _data = new(database);

    private FlashSaleService Sales => Database.Get<FlashSaleService>();

    private async Task<Guid> GroupWithWebhookAsync(string name, string currency, string zone)
    {
        var group = await _data.GroupAsync(name, currency, zone);
        TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group,
            new ChannelInput(ChannelKind.Webhook, Url: new Uri(Database.Platforms.BaseAddress, $"hook/{group:N}").ToString(), Secret: PlatformServer.WebhookSecret), Ct));
        return group;
    }

    private async Task<Guid> LiveSaleAsync(Guid group, int stock, SaleAnnouncementInput announce)
    {
        var product = await _data.ProductAsync();
        var now = Database.Clock.GetUtcNow();
        return TestData.Succeeded(await Sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, product, 9.9m, stock, 1, now, now.AddHours(1), Announce: announce), Ct));
    }

    [Fact]
    public async Task BulkFlashSale_PutsItsTeaserAndLiveNowPostsOnTheTimeline_AtEachGroupsTime_InItsLanguage_WithTheSaleLink()
    {
        var shanghai = await GroupWithWebhookAsync("上海茶友会", "CNY", "Asia/Shanghai");
        var madrid = await GroupWithWebhookAsync("Madrid Café", "EUR", "Europe/Madrid");
        var (cny, eur) = (await _data.ProductAsync(price: 99m), await _data.ProductAsync(price: 12.9m, currency: "EUR"));
        var input = new BulkFlashSaleInput([shanghai, madrid], cny, 79m, 20, 1,
            SaleTime.Local(new DateTime(2026, 3, 6, 20, 0, 0)), SaleTime.Local(new DateTime(2026, 3, 6, 21, 0, 0)),
            ProductOverrides: new Dictionary<Guid, Guid> { [madrid] = eur }, PriceOverrides: new Dictionary<Guid, decimal> { [madrid] = 9.9m },
            Announce: new SaleAnnouncementInput(Site, TeaserMinutesBefore: [60], LiveNow: true, LowStockAt: 5, SoldOut: true));

        var outcome = TestData.Succeeded(await Sales.CreateManyAsync(TestData.Admin, input, Ct));

        var (shSale, mdSale) = (outcome.Results[0].Id!.Value, outcome.Results[1].Id!.Value);
        var board = Database.Get<AnnouncementBoard>();
        var now = Database.Clock.GetUtcNow();
        var timeline = await board.TimelineAsync(TestData.Admin, null, now, now.AddDays(30), Ct);
        Assert.Equal(4, timeline.Count); // "N left" and "sold out" wait for the claims
        var sh = timeline.Where(r => r.AnnouncementId == shSale).ToList();
        var md = timeline.Where(r => r.AnnouncementId == mdSale).ToList();
        Assert.Equal([new DateTimeOffset(2026, 3, 6, 11, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 6, 12, 0, 0, TimeSpan.Zero)], sh.Select(r => r.DueAt));
        Assert.Equal([new DateTimeOffset(2026, 3, 6, 18, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 6, 19, 0, 0, TimeSpan.Zero)], md.Select(r => r.DueAt));
        Assert.Contains("限时抢购1小时后开始", sh[0].Text, StringComparison.Ordinal);
        Assert.Contains("¥79.00", sh[0].Text, StringComparison.Ordinal);
        Assert.Contains("Venta flash ya", md[1].Text, StringComparison.Ordinal);
        Assert.Contains("9,90 €", md[1].Text, StringComparison.Ordinal);
        Assert.All(sh, r => Assert.Contains($"https://shop.example/me/flash-sales/{shSale}", r.Text, StringComparison.Ordinal));
        Assert.All(timeline, r => Assert.Equal([DeliveryStatus.Scheduled], r.Deliveries));

        var sales = await board.SalesAsync(TestData.Admin, null, now, now.AddDays(30), Ct);
        Assert.Equal([(shSale, SaleKind.FlashSale), (mdSale, SaleKind.FlashSale)], sales.Select(s => (s.SaleId, s.Kind)));
        Assert.Equal($"/me/flash-sales/{mdSale}", sales[1].MemberPath);
    }

    [Fact]
    public async Task ConcurrentClaims_OnTwoInstances_PostNLeftAndSoldOut_ExactlyOnceEach_EvenWhenUnitsComeBackAndSellAgain()
    {
        var group = await GroupWithWebhookAsync("Tea", "CNY", "Asia/Shanghai");
        var members = await _data.MembersAsync(group, 30);
        var sale = await LiveSaleAsync(group, stock: 20, new SaleAnnouncementInput(Site, LowStockAt: 5, SoldOut: true));
        var announcer = Database.Get<SaleAnnouncer>();
        // A second app instance: its own claim path and caches, the same database.
        var other = new FlashSaleClaims(Database.Services.GetRequiredService<IDbContextFactory<CommunityFunnelDbContext>>(), announcer, Database.Clock,
            NullLogger<FlashSaleClaims>.Instance);
        var otherTerms = (await other.FindTermsAsync(sale, Ct))!;

        async Task<int> ClaimAllAsync(IEnumerable<Guid> buyers)
        {
            var claims = buyers.Select((m, i) => Task.Run(() => i % 2 == 0
                ? Sales.ClaimForAsync(TestData.Admin, sale, m, 1, null, Ct)
                : other.ClaimAsync(otherTerms, m, 1, null, Ct)));
            var sweeps = Enumerable.Range(0, 3).Select(_ => Task.Run(() => announcer.CatchUpAsync(Ct)));
            var results = await Task.WhenAll(claims);
            await Task.WhenAll(sweeps);
            return results.Count(r => r.Succeeded);
        }

        Assert.Equal(15, await ClaimAllAsync(members.Take(15))); // the 15th unit leaves 5: "N left"
        Assert.Equal([SalePost.LowStock], await TriggersAsync(sale));
        Assert.Equal(5, await ClaimAllAsync(members.Skip(15))); // 15 race for the last 5: "sold out"
        Assert.Equal([SalePost.LowStock, SalePost.SoldOut], await TriggersAsync(sale));

        Database.Clock.Advance(TimeSpan.FromMinutes(16)); // nobody paid: every unit comes back
        Assert.Equal(20, await Sales.ExpireReservationsAsync(Ct));
        Assert.Equal(20, await ClaimAllAsync(members.Skip(5))); // and sells out again, past both marks

        Assert.Equal([SalePost.LowStock, SalePost.SoldOut], await TriggersAsync(sale));
        await using var db = await Database.CreateDbContextAsync();
        var lowStock = await (from sp in db.SalePosts join p in db.Posts on sp.PostId equals p.Id where sp.Trigger == SalePost.LowStock select p.Text).SingleAsync(Ct);
        Assert.Contains("仅剩5件", lowStock, StringComparison.Ordinal);
        Assert.Equal(2, await db.Deliveries.CountAsync(Ct));
    }

    private async Task<List<string>> TriggersAsync(Guid sale)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.SalePosts.Where(p => p.SaleId == sale).Select(p => p.Trigger).OrderBy(t => t).ToListAsync(Ct);
    }

    [Fact]
    public async Task CatchUpAsync_WritesTheStockPostAReactionLost_Once()
    {
        var group = await GroupWithWebhookAsync("Tea", "CNY", "Asia/Shanghai");
        var sale = await LiveSaleAsync(group, stock: 10, new SaleAnnouncementInput(Site, LowStockAt: 3));
        await using (var db = await Database.CreateDbContextAsync())
        {
            // Claims committed but the instance died before reacting: stock is at the mark with no post.
            await db.Database.ExecuteSqlAsync($"UPDATE funnel.flash_sales SET remaining = 2 WHERE id = {sale}", Ct);
        }

        var announcer = Database.Get<SaleAnnouncer>();
        Assert.Equal(1, await announcer.CatchUpAsync(Ct));
        Assert.Equal(0, await announcer.CatchUpAsync(Ct));
        Assert.False(await announcer.PostStockAsync(sale, Ct));

        await using var verify = await Database.CreateDbContextAsync();
        var post = await verify.Posts.SingleAsync(p => p.AnnouncementId == sale, Ct);
        Assert.Contains("仅剩2件", post.Text, StringComparison.Ordinal);
        Assert.Equal(Database.Clock.GetUtcNow(), post.DueAt);
    }

    [Fact]
    public async Task CancelAsync_WithdrawsTheSalesPendingPosts_AndNoStockPostFollows()
    {
        var group = await GroupWithWebhookAsync("Tea", "CNY", "Asia/Shanghai");
        var product = await _data.ProductAsync();
        var now = Database.Clock.GetUtcNow();
        var sale = TestData.Succeeded(await Sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, product, 9.9m, 10, 1, now.AddHours(2), now.AddHours(3),
            Announce: new SaleAnnouncementInput(Site, TeaserMinutesBefore: [60, 10], LiveNow: true, LowStockAt: 3, SoldOut: true)), Ct));
        var board = Database.Get<AnnouncementBoard>();
        Assert.Equal(3, (await board.TimelineAsync(TestData.Admin, group, now, now.AddDays(1), Ct)).Count);

        TestData.Succeeded(await Sales.CancelAsync(TestData.Admin, sale, Ct));

        Assert.Empty(await board.TimelineAsync(TestData.Admin, group, now, now.AddDays(1), Ct));
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.All(await db.Posts.Where(p => p.AnnouncementId == sale).ToListAsync(Ct), p => Assert.NotNull(p.CancelledAt));
            Assert.All(await db.Deliveries.ToListAsync(Ct), d => Assert.Equal(DeliveryStatus.Cancelled, d.Status));
            await db.Database.ExecuteSqlAsync($"UPDATE funnel.flash_sales SET remaining = 0 WHERE id = {sale}", Ct);
        }

        Database.Clock.Advance(TimeSpan.FromHours(2.5)); // within the sale's window, but it was cancelled
        Assert.False(await Database.Get<SaleAnnouncer>().PostStockAsync(sale, Ct));
        Assert.Equal(0, await Database.Get<SaleAnnouncer>().CatchUpAsync(Ct));
    }

    [Fact]
    public async Task LiveNowPost_GoesOutThroughTheDispatcher_AtTheStart()
    {
        var group = await GroupWithWebhookAsync("Tea", "CNY", "Asia/Shanghai");
        var product = await _data.ProductAsync();
        var now = Database.Clock.GetUtcNow();
        var sale = TestData.Succeeded(await Sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, product, 9.9m, 10, 1, now.AddMinutes(30), now.AddHours(1),
            Announce: new SaleAnnouncementInput(Site, LiveNow: true)), Ct));
        var dispatcher = Database.Get<DeliveryDispatcher>();

        Assert.Equal(0, await dispatcher.RunOnceAsync(Ct));
        Database.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, await dispatcher.RunOnceAsync(Ct));

        await using var db = await Database.CreateDbContextAsync();
        var delivery = await db.Deliveries.SingleAsync(Ct);
        Assert.Equal(DeliveryStatus.Sent, delivery.Status);
        Assert.True(await db.FeedItems.AnyAsync(f => f.Text.Contains(sale.ToString()), Ct));
    }

    [Fact]
    public async Task Announcements_AreCheckedWithTheSale()
    {
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync();
        var now = Database.Clock.GetUtcNow();

        var flash = await Sales.CreateAsync(TestData.Admin, new FlashSaleInput(group, product, 9.9m, 10, 1, now, now.AddHours(1),
            Announce: new SaleAnnouncementInput(Site, TeaserMinutesBefore: [0], LowStockAt: 10)), Ct);
        var groupBuy = await Database.Get<GroupBuyService>().CreateAsync(TestData.Admin, new GroupBuyInput(group, product, [new GroupBuyTier(2, 9m)], 2, now, now.AddDays(1),
            new SaleAnnouncementInput(Site, SoldOut: true)), Ct);

        Assert.Equal(["invalid_low_stock", "invalid_teaser"], flash.Failure!.Violations.Select(v => v.Code).Order());
        Assert.Equal("no_stock_posts", groupBuy.Failure!.Code);
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.FlashSales.AnyAsync(Ct));
    }
}
