using System.Collections.Concurrent;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Api;

/// <summary>The public API reference as a reader sees it: the key header spelled out, and nothing fetched from elsewhere.</summary>
public sealed class ApiReferenceBrowserTests(PostgresFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task TheApiReference_ShowsHowToSendTheKey_AndLoadsNothingFromOutsideTheApp()
    {
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        var requested = new ConcurrentQueue<string>();
        page.Request += (_, request) => requested.Enqueue(request.Url);

        await page.GotoAsync("/api/docs");
        // The first OpenAPI document is generated on demand, slowly on a busy machine.
        await Expect(page.GetByRole(AriaRole.Complementary, new() { Name = "Sidebar for CommunityFunnel API" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        await Expect(page.GetByText("Authorization: Bearer <key>").First).ToBeVisibleAsync();
        await Expect(page.GetByText("Ask AI")).ToHaveCountAsync(0);
        await Expect(page.GetByText("Generate SDK")).ToHaveCountAsync(0); // the developer toolbar's buttons lead outside
        var origin = Database.App.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.All(requested.Where(url => !url.StartsWith("data:", StringComparison.Ordinal)), url => Assert.StartsWith(origin, url, StringComparison.Ordinal));
        await browser.ScreenshotAsync("api-reference");
    }
}
