using System.Text.Encodings.Web;
using CommunityFunnel.Application.Promotions;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Sharing;

/// <summary>"Share & earn": the member's link, QR code and poster per group, and the people they brought, by short name only.</summary>
public sealed class SharePageTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    [Fact]
    public async Task SharePage_ListsThePeopleBrought_ByShortNameOnly_WithWhetherTheyPaid_GroupByGroup()
    {
        var (tea, coffee) = (await _data.GroupAsync("Tea lovers"), await _data.GroupAsync("Coffee corner"));
        var ada = await _data.MemberAsync(tea, "Ada", "13800138000");
        await _data.MemberAsync(coffee, "Ada", "13800138000");
        var wang = await _data.MemberAsync(tea, "Wang Lei", "13900139001", referrerId: ada);
        await _data.MemberAsync(tea, "王小明", "13900139002", referrerId: ada);
        await _data.MemberAsync(coffee, "María José Álvarez", "13900139003", referrerId: ada);
        await _data.MemberAsync(tea, "Bo Stranger", "13900139004"); // brought by nobody
        await _data.OrderAsync(wang, tea, await _data.ProductAsync(), paid: true);
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        using var phone = Database.App.CookieClient();
        await phone.GetAsync($"/m/{await _data.PersonalLinkAsync(ada)}", Ct);

        var page = await phone.GetStringAsync("/me/share", Ct);

        var groups = page.Split("data-testid=\"share-group\"")[1..];
        Assert.Equal(2, groups.Length);
        var (coffeePart, teaPart) = (groups[0], groups[1]); // by name
        Assert.Contains("Coffee corner", coffeePart, StringComparison.Ordinal);
        Assert.Contains($"/join/{await JoinCodeAsync(tea)}?ref={await ReferralCodeAsync(ada)}", teaPart, StringComparison.Ordinal);
        Assert.Contains($"src=\"/me/share/{tea}/poster\"", teaPart, StringComparison.Ordinal);
        Assert.Contains($"src=\"/me/share/{tea}/qr\"", teaPart, StringComparison.Ordinal);
        Assert.Contains($"href=\"/me/share/{tea}/poster\" download", teaPart, StringComparison.Ordinal);
        Assert.Equal(["María Á."], Names(coffeePart));
        Assert.Equal(["Wang L.", "王*"], Names(teaPart).Order(StringComparer.Ordinal));
        Assert.Contains("data-testid=\"brought-paid\"", teaPart, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"brought-unpaid\"", coffeePart, StringComparison.Ordinal);
        foreach (var secret in new[] { "Lei", "小明", "José", "Álvarez", "Stranger", "13900139", "9.9" })
        {
            Assert.DoesNotContain(secret, page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SharePage_CountsDownToTheGroupsNextPromotionDay_InTheGroupsOwnCalendar_AndSaysWhenItIsToday()
    {
        var (tea, coffee) = (await _data.GroupAsync("Tea lovers", timeZone: "America/New_York"), await _data.GroupAsync("Coffee corner"));
        var ada = await _data.MemberAsync(tea, "Ada", "+8613800138000");
        await _data.MemberAsync(coffee, "Ada", "+8613800138000");
        var gift = await _data.ProductAsync(FunnelStage.Low, 19.9m);
        var now = DateTimeOffset.UtcNow;
        Database.Clock.SetUtcNow(now);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        DateTimeOffset Midnight(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue)));
        using var phone = Database.App.CookieClient();
        await phone.GetAsync($"/m/{await _data.PersonalLinkAsync(ada)}", Ct);
        var days = Database.Get<PromotionDayService>();

        TestData.Succeeded(await days.SetAsync(TestData.Admin, tea, today.AddDays(1).Day, 2m, gift, Ct));
        var ahead = Section(await phone.GetStringAsync("/me/share", Ct), "Tea lovers");
        TestData.Succeeded(await days.SetAsync(TestData.Admin, tea, today.Day, 3m, null, Ct));
        var page = await phone.GetStringAsync("/me/share", Ct);

        var tomorrow = today.AddDays(1);
        var countdownToTomorrow = $"data-countdown-to=\"{HtmlEncoder.Default.Encode(Midnight(tomorrow).ToUniversalTime().ToString("O"))}\"";
        Assert.Contains(countdownToTomorrow, ahead, StringComparison.Ordinal); // starts at the group's midnight
        Assert.Contains($"{tomorrow.Month}/{tomorrow.Day}", When(ahead), StringComparison.Ordinal);
        Assert.Contains("x2", ahead, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"promotion-day-gift\"", ahead, StringComparison.Ordinal);
        var underWay = Section(page, "Tea lovers");
        Assert.DoesNotContain("/", When(underWay), StringComparison.Ordinal); // "Today", not a date
        Assert.Contains(countdownToTomorrow, underWay, StringComparison.Ordinal); // and it ends at the next midnight
        Assert.Contains("x3", underWay, StringComparison.Ordinal);
        Assert.DoesNotContain("promotion-day-gift", underWay, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"promotion-day\"", Section(page, "Coffee corner"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharePage_WithoutASession_OffersSignIn_AndTheHomePageLeadsToIt()
    {
        var group = await _data.GroupAsync();
        var ada = await _data.MemberAsync(group, "Ada");
        using var visitor = Database.App.CookieClient();
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        using var phone = Database.App.CookieClient();
        await phone.GetAsync($"/m/{await _data.PersonalLinkAsync(ada)}", Ct);

        var signedOut = await visitor.GetStringAsync("/me/share", Ct);
        var home = await phone.GetStringAsync("/me", Ct);

        Assert.Contains("href=\"/me/sign-in?returnUrl=/me/share\"", signedOut, StringComparison.Ordinal);
        Assert.DoesNotContain("share-group", signedOut, StringComparison.Ordinal);
        Assert.Contains("href=\"/me/share\"", home, StringComparison.Ordinal);
    }

    private static string When(string section) => section.Split("data-testid=\"promotion-day-when\">")[1].Split('<')[0];

    private static string Section(string page, string groupName) =>
        page.Split("data-testid=\"share-group\"")[1..].Single(part => part.Contains(groupName, StringComparison.Ordinal));

    private static List<string> Names(string html) =>
        [.. System.Text.RegularExpressions.Regex.Matches(html, "data-testid=\"brought-name\">([^<]*)<").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))];

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
