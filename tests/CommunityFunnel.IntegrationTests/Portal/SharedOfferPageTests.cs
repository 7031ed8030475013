using System.Net;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Portal;

/// <summary>
/// Sale links are posted in the group and tapped on any device: the offer shows to anyone, with "join this group" and
/// "I'm already a member" for visitors, and only the member's own session sees what they hold and may buy.
/// </summary>
public sealed class SharedOfferPageTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task AVisitorWithoutASession_SeesTheOffer_AndBothWaysIn()
    {
        var group = await _data.GroupAsync("Tea lovers");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the page reads the state on the real clock
        var sale = await _data.FlashSaleAsync(group, stock: 30, price: 9.9m); // the product's list price is 19.90

        using var visitor = Database.App.CookieClient();
        var page = await visitor.GetStringAsync($"/me/flash-sales/{sale}", Ct);

        Assert.Contains("data-testid=\"sale-group\">Tea lovers<", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sale-product\">Low 19.9<", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sale-price\">¥9.90<", page, StringComparison.Ordinal);
        Assert.Contains("¥19.90", page, StringComparison.Ordinal); // the usual price, and what one saves against it
        Assert.Contains("¥10.00", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"remaining\">30<", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"ends-in\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"visitor-join\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"join-submit\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/me/sign-in?returnUrl=%2Fme%2Fflash-sales%2F{sale}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"claim\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVisitor_JoinsOnTheOfferPage_AndIsBackOnTheOffer_ReadyToBuy()
    {
        var group = await _data.GroupAsync();
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var sale = await _data.FlashSaleAsync(group);
        using var visitor = Database.App.CookieClient();
        var offer = $"/me/flash-sales/{sale}";

        var joined = await MemberForms.PostAsync(visitor, offer, "join", "Input.Name", "Bo", "Input.Phone", "13800138000", "Input.Consent", "true");

        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal($"{offer}?joined=1", new Uri(Database.App.BaseAddress, joined.Headers.Location!).PathAndQuery);
        var page = await visitor.GetStringAsync($"{offer}?joined=1", Ct);
        Assert.Contains("data-testid=\"joined\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"claim\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"visitor-join\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberOfAnotherGroup_SeesTheOffer_ButNotTheBuyButton_AndAMemberSeesOnlyTheirOwnHoldings()
    {
        var group = await _data.GroupAsync("Tea lovers");
        var otherGroup = await _data.GroupAsync("Coffee club");
        var member = await _data.MemberAsync(group, "Ada");
        var outsider = await _data.MemberAsync(otherGroup, "Eve");
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var sale = await _data.FlashSaleAsync(group, limit: 3);
        TestData.Succeeded(await Database.Get<FlashSaleService>().ClaimForAsync(TestData.Admin, sale, member, 2, null, Ct));

        using var ada = await SignedInAsync(member);
        using var eve = await SignedInAsync(outsider);
        var adaPage = await ada.GetStringAsync($"/me/flash-sales/{sale}", Ct);
        var evePage = await eve.GetStringAsync($"/me/flash-sales/{sale}", Ct);

        Assert.Contains("data-testid=\"claim\"", adaPage, StringComparison.Ordinal);
        Assert.Contains("max=\"1\"", adaPage, StringComparison.Ordinal); // 3 per member, 2 held: one more
        Assert.DoesNotContain("data-testid=\"visitor-join\"", adaPage, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sale-product\"", evePage, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"visitor-join\"", evePage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"claim\"", evePage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"claim-quantity\"", evePage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Europe/Berlin", "EUR", "9,90 €")]
    [InlineData("America/New_York", "USD", "$9.90")]
    [InlineData("Asia/Shanghai", "CNY", "¥9.90")]
    public async Task Prices_AreWrittenAsTheGroupsCountryWritesThem(string zone, string currency, string written)
    {
        var group = await _data.GroupAsync("Local", currency, zone);
        var product = await _data.ProductAsync(FunnelStage.Low, 19.9m, currency);
        var now = DateTimeOffset.UtcNow;
        Database.Clock.SetUtcNow(now);
        var sale = TestData.Succeeded(await Database.Get<FlashSaleService>().CreateAsync(TestData.Admin,
            new FlashSaleInput(group, product, 9.9m, 10, 2, now.AddHours(1), now.AddHours(2)), Ct));

        using var visitor = Database.App.CookieClient();
        var page = (await visitor.GetStringAsync($"/me/flash-sales/{sale}", Ct)).Replace('\u00a0', ' ').Replace('\u202f', ' '); // ICU versions differ in the space they use

        Assert.Contains($"data-testid=\"sale-price\">{written}<", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"countdown\"", page, StringComparison.Ordinal); // not open yet: counts down to the start
        Assert.DoesNotContain(" EUR", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGroupBuyLink_ShowsTheLadderToAnyone_WithTheWaysIn()
    {
        var group = await _data.GroupAsync();
        var product = await _data.ProductAsync(FunnelStage.Low, 19.9m);
        var now = DateTimeOffset.UtcNow;
        Database.Clock.SetUtcNow(now);
        var buy = TestData.Succeeded(await Database.Get<GroupBuyService>().CreateAsync(TestData.Admin,
            new GroupBuyInput(group, product, [new GroupBuyTier(2, 18m), new GroupBuyTier(3, 17m), new GroupBuyTier(5, 15m)], 2, now, now.AddDays(1)), Ct));

        using var visitor = Database.App.CookieClient();
        var page = await visitor.GetStringAsync($"/me/group-buys/{buy}", Ct);

        Assert.Contains("data-testid=\"group-buy-price\">¥18.00<", page, StringComparison.Ordinal);
        Assert.Contains("¥17.00", page, StringComparison.Ordinal);
        Assert.Contains("¥15.00", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"closes-in\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"visitor-join\"", page, StringComparison.Ordinal);
        Assert.Contains($"returnUrl=%2Fme%2Fgroup-buys%2F{buy}", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownOrArchivedGroupsSale_IsNotShown()
    {
        var group = await _data.GroupAsync();
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var sale = await _data.FlashSaleAsync(group);
        TestData.Succeeded(await Database.Get<Application.Groups.GroupService>().SetArchivedAsync(TestData.Admin, group, true, Ct));

        using var visitor = Database.App.CookieClient();
        var archived = await visitor.GetStringAsync($"/me/flash-sales/{sale}", Ct);
        var unknown = await visitor.GetStringAsync($"/me/flash-sales/{Guid.NewGuid()}", Ct);

        Assert.DoesNotContain("data-testid=\"sale-product\"", archived, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"sale-product\"", unknown, StringComparison.Ordinal);
    }

    private async Task<HttpClient> SignedInAsync(Guid memberId)
    {
        var client = Database.App.CookieClient();
        var opened = await client.GetAsync($"/m/{await _data.PersonalLinkAsync(memberId)}", Ct);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        return client;
    }
}
