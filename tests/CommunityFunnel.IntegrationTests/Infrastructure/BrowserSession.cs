using Microsoft.Playwright;

namespace CommunityFunnel.IntegrationTests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright (Playwright's own browser download is not available here).</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    public static string ScreenshotDirectory => Path.Combine(PostgresFixture.RepositoryRoot(), "TestResults", "screenshots");

    public static async Task<BrowserSession> StartAsync(Uri baseAddress, ViewportSize? viewport = null, string locale = "en-US")
    {
        Assert.SkipUnless(File.Exists(ChromiumPath), $"Browser tests need Chromium at {ChromiumPath} (apt-get install chromium); .ci/run installs it.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            Locale = locale,
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(playwright, browser, await context.NewPageAsync());
    }

    public async Task SignInAsync(string email, string password)
    {
        await Page.GotoAsync("/login");
        await Page.FillAsync("#email", email);
        await Page.FillAsync("#password", password);
        await Page.ClickAsync("button[type=submit]");
        await WaitUntilInteractiveAsync();
    }

    /// <summary>Blazor ignores clicks until the circuit is up; the layout renders this marker only once it is.</summary>
    public Task WaitUntilInteractiveAsync() =>
        Page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>A MudBlazor input by its data-testid (MudBlazor puts the attribute on the input element itself).</summary>
    public static ILocator Input(ILocator scope, string testId) => scope.Locator($"input[data-testid={testId}]");

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
