using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.IntegrationTests.Infrastructure;
using CommunityFunnel.IntegrationTests.Rebates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Payouts;

/// <summary>An admin edits the commission plan and pays partners in a real browser, on a desk and on a phone.</summary>
public sealed class PayoutPagesBrowserTests(PostgresFixture database) : DatabaseTest(database)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly TestData _data = new(database);
    private readonly Partners _partners = new(database);

    [Fact]
    public async Task Admin_SeesPlanRulesNextToTheFields_MakesAPayout_HoldsOneBack_AndMarksItPaid()
    {
        await _partners.PlanAsync();
        var group = await _data.GroupAsync();
        var wang = await _partners.WithAvailableAsync(group, "王小明", 88.8m, phone: "138 0013 8000");
        var ada = await _partners.WithAvailableAsync(group, "Ada Lovelace", 55m);
        var bo = await _partners.WithAvailableAsync(group, "Bo", 120m);
        await _partners.WithAvailableAsync(group, "Below the minimum", 12m);
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "Rebates and payouts" }).ClickAsync();
        await browser.WaitUntilInteractiveAsync();
        var plan = page.Locator("[data-testid=plan-CNY]");
        await BrowserSession.Input(plan, "level2").FillAsync("12");
        await page.ClickAsync("[data-testid=save-plan-CNY]");
        await Expect(plan.GetByText("Level 2 may not pay more than level 1.")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("rebates-plan-rule");
        await using (var db = await Database.CreateDbContextAsync())
        {
            Assert.Equal(0m, (await db.CommissionPlans.SingleAsync(p => p.Currency == "CNY", Ct)).Level2Percent);
        }

        await page.GetByRole(AriaRole.Tab, new() { Name = "Payouts" }).ClickAsync();
        await BrowserSession.Input(page.Locator("body"), "payout-minimum").FillAsync("0");
        await page.ClickAsync("[data-testid=create-payout]");
        await Expect(page.GetByText("The minimum must be more than zero")).ToBeVisibleAsync();
        await BrowserSession.Input(page.Locator("body"), "payout-minimum").FillAsync("50");
        await page.ClickAsync("[data-testid=create-payout]");

        await Expect(page.Locator("[data-testid=payout-title]")).ToHaveTextAsync("CNY payout");
        await Expect(page.Locator("[data-testid=payout-items] tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid=payout-total]")).ToContainTextAsync("¥263.80");
        await Expect(page.Locator($"[data-testid=item-available-{wang}]")).ToHaveTextAsync("¥88.80"); // the balance as the ledger stands now
        await page.ClickAsync($"[data-testid=hold-{bo}]");
        await page.ClickAsync("[data-testid=confirm-hold]");
        await Expect(page.GetByText("Say why the payout is held back.")).ToBeVisibleAsync();
        await BrowserSession.Input(page.Locator(".mud-dialog"), "hold-reason").FillAsync("Bank account name does not match");
        await page.ClickAsync("[data-testid=confirm-hold]");
        await Expect(page.Locator($"[data-testid=item-status-{bo}]")).ToContainTextAsync("Bank account name does not match");
        await Expect(page.Locator("[data-testid=payout-total]")).ToContainTextAsync("¥143.80");
        await browser.ScreenshotAsync("payout-draft");

        await page.ClickAsync("[data-testid=mark-paid]");
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Mark paid" }).ClickAsync();
        await Expect(page.Locator("[data-testid=payout-status]")).ToHaveTextAsync("Paid");
        await Expect(page.Locator("[data-testid=mark-paid]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=payout-total]")).ToHaveTextAsync("Paid: ¥143.80 to 2 partners");
        await browser.ScreenshotAsync("payout-paid");
        var payoutPage = page.Url;
        await page.GetByRole(AriaRole.Link, new() { Name = "Payouts", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-testid=payouts] [data-testid=payout-status]")).ToHaveTextAsync("Paid");
        await browser.ScreenshotAsync("payouts");

        await using (var db = await Database.CreateDbContextAsync())
        {
            var paid = await db.RebateEntries.Where(e => e.Kind == RebateEntryKind.PaidOut).Select(e => new { e.MemberId, e.PaidOutDelta }).ToListAsync(Ct);
            Assert.Equal(new[] { (ada, 55m), (wang, 88.8m) }.OrderBy(p => p.Item1), paid.Select(p => (p.MemberId, p.PaidOutDelta)).OrderBy(p => p.Item1));
        }

        await using var phone = await BrowserSession.StartAsync(Database.App.BaseAddress, Phone);
        await phone.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await phone.Page.GotoAsync(payoutPage);
        await phone.WaitUntilInteractiveAsync();
        await Expect(phone.Page.Locator("[data-testid=payout-status]")).ToHaveTextAsync("Paid");
        await phone.ScreenshotAsync("payout-phone");
        await phone.Page.GotoAsync("/admin/rebates");
        await phone.WaitUntilInteractiveAsync();
        await Expect(phone.Page.Locator("[data-testid=plan-CNY]")).ToBeVisibleAsync();
        await phone.ScreenshotAsync("rebates-phone");
        await phone.Page.GotoAsync("/admin/rebates?tab=payouts");
        await phone.WaitUntilInteractiveAsync();
        await Expect(phone.Page.Locator("[data-testid=open-payout]")).ToHaveCountAsync(1);
        await phone.ScreenshotAsync("payouts-phone");
        await LedgerInvariant.AssertHoldsAsync(Database, Ct);
    }
}
