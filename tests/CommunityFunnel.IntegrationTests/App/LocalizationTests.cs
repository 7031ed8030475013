using System.Text.RegularExpressions;
using System.Xml.Linq;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Demo;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.App;

public sealed partial class LocalizationTests(PostgresFixture database) : DatabaseTest(database)
{
    [Theory]
    [InlineData("zh-Hans")]
    [InlineData("zh-Hant")]
    [InlineData("es")]
    public void StringTable_TranslatesEveryTextThePagesShow(string language)
    {
        var used = TextsShownIn(Path.Combine(Web, "Components"));

        Assert.Empty(used.Except(Translated(language)).Order());
    }

    [Theory]
    [InlineData("zh-Hant")]
    [InlineData("es")]
    public void StringTable_HasEveryEntryOfTheSimplifiedChineseOne(string language) =>
        Assert.Empty(Translated("zh-Hans").Except(Translated(language)).Order());

    [Theory]
    [InlineData("zh-Hans")]
    [InlineData("zh-Hant")]
    [InlineData("es")]
    public void StringTable_KeepsThePlaceholdersOfEveryText(string language)
    {
        var broken = Entries(language)
            .Where(entry => !Placeholders(entry.Name).SetEquals(Placeholders(entry.Value)))
            .Select(entry => $"{entry.Name} => {entry.Value}");

        Assert.Empty(broken);
    }

    [Theory]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans", "密码")]
    [InlineData("zh-SG", "zh-Hans", "密码")]
    [InlineData("zh-TW,zh;q=0.9,en-US;q=0.8,en;q=0.7", "zh-Hant", "密碼")]
    [InlineData("zh-HK,zh;q=0.9", "zh-Hant", "密碼")]
    [InlineData("zh-MO", "zh-Hant", "密碼")]
    [InlineData("zh-Hant-TW", "zh-Hant", "密碼")]
    [InlineData("es-ES,es;q=0.9", "es", "Contraseña")]
    [InlineData("es-MX", "es", "Contraseña")]
    [InlineData("es-419,en;q=0.5", "es", "Contraseña")]
    [InlineData("fr-FR,en;q=0.5", "en", "Password")]
    public async Task SignInPage_SpeaksTheBrowsersLanguage(string acceptLanguage, string expectedLanguage, string password)
    {
        using var client = Database.App.CookieClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", acceptLanguage);

        var page = await client.GetStringAsync("/login", Ct);

        Assert.Contains($"<html lang=\"{expectedLanguage}\">", page, StringComparison.Ordinal);
        Assert.Contains($">{password}</label>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-Hant", "保持登入")]
    [InlineData("es", "Mantener la sesión iniciada")]
    public async Task LanguageMenu_OverridesTheBrowsersLanguage(string chosen, string keepMeSignedIn)
    {
        using var client = Database.App.CookieClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        using var choice = await client.GetAsync($"/account/culture?culture={chosen}&returnUrl=/login", Ct);
        var page = await client.GetStringAsync("/login", Ct);

        Assert.Equal("/login", choice.Headers.Location?.OriginalString);
        Assert.Contains($"<html lang=\"{chosen}\">", page, StringComparison.Ordinal);
        Assert.Contains(keepMeSignedIn, page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-TW", "zh-Hant", "登入", "儀表板", "群組")]
    [InlineData("es-ES", "es", "Iniciar sesión", "Panel", "Grupos")]
    public async Task BackOffice_SpeaksTheBrowsersLanguage_InABrowser(string locale, string language, string signIn, string dashboard, string groups)
    {
        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the app runs on the real clock: seed "the last 90 days" from today
        await Database.Get<DemoDataSeeder>().SeedIfEmptyAsync(Ct);
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress, locale: locale);
        var page = browser.Page;

        await page.GotoAsync("/login");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = signIn, Exact = true })).ToBeVisibleAsync();
        await browser.ScreenshotAsync($"login-{language}");

        await browser.SignInAsync(DemoDataSeeder.OperatorEmail, DemoDataSeeder.OperatorPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = dashboard, Exact = true })).ToBeVisibleAsync();
        await page.GotoAsync("/groups");
        await browser.WaitUntilInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = groups, Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=group-link]")).ToHaveCountAsync(2);
        await browser.ScreenshotAsync($"groups-{language}");
    }

    private static string Web => Path.Combine(PostgresFixture.RepositoryRoot(), "src", "CommunityFunnel.Web");

    private static IEnumerable<(string Name, string Value)> Entries(string language) =>
        XDocument.Load(Path.Combine(Web, "Resources", $"SharedResource.{language}.resx")).Root!.Elements("data")
            .Select(d => ((string)d.Attribute("name")!, (string)d.Element("value")!));

    private static HashSet<string> Translated(string language) => Entries(language).Select(entry => entry.Name).ToHashSet();

    private static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();

    private static HashSet<string> TextsShownIn(string place) =>
        Directory.EnumerateFiles(place, "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".razor", StringComparison.Ordinal) || file.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(file => LocalizedText().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            // shown through L[value.ToString()] or L[role]
            .Concat(FunnelStages.All.Select(s => s.ToString()))
            .Concat(Enum.GetNames<FlashSaleState>())
            .Concat(Enum.GetNames<GroupBuyState>())
            .Concat(Enum.GetNames<OrderStatus>())
            .Concat(Enum.GetNames<ProductKind>())
            .Concat(Enum.GetNames<AuditCategory>())
            .Concat(Roles.All)
            .ToHashSet();

    [GeneratedRegex("""\b[Ll]\["([^"]+)"[,\]]""")]
    private static partial Regex LocalizedText();

    [GeneratedRegex("""\{(\d+)(?:[,:][^}]*)?\}""")]
    private static partial Regex Placeholder();
}
