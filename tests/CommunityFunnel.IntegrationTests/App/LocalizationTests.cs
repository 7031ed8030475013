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
        var web = Path.Combine(PostgresFixture.RepositoryRoot(), "src", "CommunityFunnel.Web");
        var translated = XDocument.Load(Path.Combine(web, "Resources", "SharedResource.zh-Hans.resx"))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet();
        var used = Directory.EnumerateFiles(Path.Combine(web, "Components"), "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".razor", StringComparison.Ordinal) || file.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(file => LocalizedText().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Concat(FunnelStages.All.Select(s => s.ToString()))
            .Concat(Enum.GetNames<FlashSaleState>()) // shown through L[state.ToString()] on the member pages
            .Concat(Enum.GetNames<GroupBuyState>())
            .Concat(Enum.GetNames<OrderStatus>())
            .ToHashSet();

        Assert.Empty(used.Except(translated).Order());
    }

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
