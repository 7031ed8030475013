using System.Text.RegularExpressions;
using System.Xml.Linq;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.App;

public sealed partial class LocalizationTests(PostgresFixture database) : DatabaseTest(database)
{
    [Fact]
    public void ChineseStringTable_TranslatesEveryTextThePagesShow()
    {
        var used = TextsShownIn(Path.Combine(Web, "Components"));

        Assert.Empty(used.Except(Translated("zh-Hans")).Order());
    }

    [Theory]
    [InlineData("es")]
    [InlineData("zh-Hant")]
    public void MemberPages_AreTranslated_ForEveryGroupLanguage(string language)
    {
        var used = TextsShownIn(Path.Combine(Web, "Components", "Portal"), Path.Combine(Web, "Components", "Layout", "MemberLayout.razor"));

        Assert.Empty(used.Except(Translated(language)).Order());
    }

    private static string Web => Path.Combine(PostgresFixture.RepositoryRoot(), "src", "CommunityFunnel.Web");

    private static HashSet<string> Translated(string language) =>
        XDocument.Load(Path.Combine(Web, "Resources", $"SharedResource.{language}.resx")).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet();

    private static HashSet<string> TextsShownIn(params string[] places) =>
        places.SelectMany(place => File.Exists(place) ? [place] : Directory.EnumerateFiles(place, "*.*", SearchOption.AllDirectories))
            .Where(file => file.EndsWith(".razor", StringComparison.Ordinal) || file.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(file => LocalizedText().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Concat(FunnelStages.All.Select(s => s.ToString()))
            .Concat(Enum.GetNames<FlashSaleState>()) // shown through L[state.ToString()] on the member pages
            .Concat(Enum.GetNames<GroupBuyState>())
            .Concat(Enum.GetNames<OrderStatus>())
            .ToHashSet();

    [Fact]
    public async Task Pages_SpeakChinese_ToAChineseBrowser()
    {
        using var client = Database.App.CookieClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var page = await client.GetStringAsync("/login", Ct);

        Assert.Contains("<html lang=\"zh-Hans\">", page, StringComparison.Ordinal);
        Assert.Contains("登录", page, StringComparison.Ordinal);
    }

    [GeneratedRegex("""\b[Ll]\["([^"]+)"[,\]]""")]
    private static partial Regex LocalizedText();
}
