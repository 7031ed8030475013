using System.Net;
using CommunityFunnel.Application.Demo;
using CommunityFunnel.Application.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Members;

/// <summary>
/// Rows from before phones were normalized, seeded the old way with SQL, brought to E.164 by the start-up backfill:
/// each in the country of the member's earliest group, duplicates left as they are and reported, and again changes nothing.
/// </summary>
public sealed class StoredPhoneBackfillTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private StoredPhoneBackfill Backfill => Database.Get<StoredPhoneBackfill>();

    /// <summary>The members of <see cref="SeedOldRowsAsync"/>, by name.</summary>
    private sealed record OldRows(Guid Berlin, Guid Shanghai, Guid Utc, Guid Jana, Guid JanaAbroad, Guid Li, Guid Max, Guid MaxAgain, Guid Eve, Guid Nomad);

    [Fact]
    public async Task RunAsync_RewritesStoredPhonesToE164_InTheEarliestGroupsCountry_AndReportsDuplicatesWithoutMerging()
    {
        var rows = await SeedOldRowsAsync();

        var report = await Backfill.RunAsync(Ct);

        Assert.Equal(new PhoneBackfillReport(AlreadyDone: false, GroupsGivenACountry: 2, Rewritten: 2, Duplicates: 2, Unreadable: 1), report);
        Assert.Equal(new Dictionary<Guid, string>
        {
            [rows.Jana] = "015198765432", // +4915198765432 belongs to JanaAbroad already: left as it is
            [rows.JanaAbroad] = "+4915198765432",
            [rows.Li] = "+8613800138000", // in Berlin too, but first in Shanghai
            [rows.Max] = "+491701234567", // Max and MaxAgain are one number; Max joined first and keeps it
            [rows.MaxAgain] = "+4901701234567",
            [rows.Eve] = "12345",
            [rows.Nomad] = "+12125550100",
        }, await PhonesAsync());
        Assert.Equal(["CN", "DE", null], await CountriesAsync(rows.Shanghai, rows.Berlin, rows.Utc));

        var findings = TestData.Succeeded(await Database.Get<PhoneFindingsReport>().GetAsync(TestData.Admin, Ct));
        Assert.Equal(
            [("+4915198765432", [rows.JanaAbroad, rows.Jana]), ("+491701234567", [rows.Max, rows.MaxAgain])],
            findings.Duplicates.Select(s => (s.Phone, s.Members.Select(m => m.Id).ToArray())));
        Assert.Equal(["Berlin Kaffee"], findings.Duplicates[0].Members[1].Groups);
        Assert.Equal([rows.Eve], findings.Unreadable.Select(m => m.Id));
    }

    [Fact]
    public async Task RunAsync_IsDoneOnce_AndItsRewriteChangesNothingWhenRunAgain()
    {
        await SeedOldRowsAsync();
        await Backfill.RunAsync(Ct);
        var phones = await PhonesAsync();
        var findings = await FindingsAsync();
        Database.Clock.Advance(TimeSpan.FromHours(1));

        var second = await Backfill.RunAsync(Ct);
        await using (var db = await Database.CreateDbContextAsync())
        {
            await db.CompletedBackfills.ExecuteDeleteAsync(Ct); // as if it had never finished
        }

        var rerun = await Backfill.RunAsync(Ct);

        Assert.Equal(new PhoneBackfillReport(AlreadyDone: true, 0, 0, 0, 0), second);
        Assert.Equal(new PhoneBackfillReport(AlreadyDone: false, 0, Rewritten: 0, Duplicates: 2, Unreadable: 1), rerun);
        Assert.Equal(phones, await PhonesAsync());
        Assert.Equal(findings, await FindingsAsync()); // the same findings, found at the same time
    }

    [Fact]
    public async Task RunAsync_RewritesEachPhoneOnce_WhenSeveralInstancesStartAtOnce()
    {
        await SeedOldRowsAsync();

        var reports = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => Backfill.RunAsync(Ct))));

        Assert.Equal(2, reports.Sum(r => r.Rewritten));
        Assert.Equal(2, reports.Count(r => r.AlreadyDone));
        Assert.Equal(3, (await FindingsAsync()).Count);
    }

    [Fact]
    public async Task TheDatabaseInitializer_RunsTheBackfillAfterTheMigrations()
    {
        var rows = await SeedOldRowsAsync();

        await Database.Initializer.InitializeAsync(PostgresFixture.Bootstrap, seedDemo: false, Ct);

        Assert.Equal("+8613800138000", (await PhonesAsync())[rows.Li]);
        await using var db = await Database.CreateDbContextAsync();
        Assert.True(await db.CompletedBackfills.AnyAsync(b => b.Name == StoredPhoneBackfill.Name, Ct));
    }

    [Fact]
    public async Task AFinding_LeavesTheReport_OnceAnAdminChangesThePhone()
    {
        var rows = await SeedOldRowsAsync();
        await Backfill.RunAsync(Ct);

        TestData.Succeeded(await Database.Get<MemberService>().UpdateContactAsync(TestData.Admin, rows.MaxAgain, new MemberContact("Max (old phone)"), Ct));
        TestData.Succeeded(await Database.Get<MemberService>().UpdateContactAsync(TestData.Admin, rows.Eve, new MemberContact("Eve", "01512 3456789"), Ct));

        var findings = TestData.Succeeded(await Database.Get<PhoneFindingsReport>().GetAsync(TestData.Admin, Ct));
        Assert.Equal(["+4915198765432"], findings.Duplicates.Select(s => s.Phone));
        Assert.Empty(findings.Unreadable);
    }

    [Fact]
    public async Task TheReport_IsForAdminsOnly()
    {
        var rows = await SeedOldRowsAsync();
        await Backfill.RunAsync(Ct);
        var op = await _data.OperatorAsync("op@test.local", rows.Berlin);

        var result = await Database.Get<PhoneFindingsReport>().GetAsync(op, Ct);

        Assert.Equal("forbidden", result.Failure!.Code);
    }

    [Fact]
    public async Task TheAdminPage_ListsEachDuplicateSet_WithLinksToTheMembers()
    {
        var rows = await SeedOldRowsAsync();
        await Backfill.RunAsync(Ct);
        using var admin = Database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(admin, PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);

        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/phones", Ct));

        Assert.Equal(2, page.Split("data-testid=\"duplicate-set\"").Length - 1);
        foreach (var member in new[] { rows.Jana, rows.JanaAbroad, rows.Max, rows.MaxAgain, rows.Eve })
        {
            Assert.Contains($"href=\"/members/{member}\"", page, StringComparison.Ordinal);
        }

        Assert.DoesNotContain($"/members/{rows.Li}", page, StringComparison.Ordinal);
        Assert.Contains("+4901701234567", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDemoData_HasOnlyValidE164Phones()
    {
        await Database.Get<DemoDataSeeder>().SeedIfEmptyAsync(Ct);
        await using var db = await Database.CreateDbContextAsync();

        var report = await Backfill.RewritePhonesAsync(db, Ct);

        Assert.Equal((0, 0, 0), (report.Rewritten, report.Duplicates, report.Unreadable));
        Assert.Equal(["CN", "ES", "US"], (await db.Groups.Select(g => g.Country).ToListAsync(Ct)).Order());
    }

    /// <summary>
    /// Groups and members as an older version left them: groups without a country, phones as the old normalizer
    /// stored them ("+" and digits, or digits only), written with SQL since the services now refuse to.
    /// </summary>
    private async Task<OldRows> SeedOldRowsAsync()
    {
        var berlin = await _data.GroupAsync("Berlin Kaffee", "EUR", "Europe/Berlin");
        var shanghai = await _data.GroupAsync("上海茶友会", "CNY", "Asia/Shanghai");
        var utc = await _data.GroupAsync("Nomads", "USD", "UTC");
        var members = Database.Get<MemberService>();
        var janaAbroad = await _data.MemberAsync(shanghai, "Jana (abroad)");
        var li = TestData.Succeeded(await members.AddToGroupAsync(TestData.Admin, shanghai, new MemberInput("Li", ExternalId: "wx_li"), Ct)).Id;
        var nomad = await _data.MemberAsync(utc, "Nomad");
        Database.Clock.Advance(TimeSpan.FromDays(1));
        var jana = await _data.MemberAsync(berlin, "Jana");
        var max = await _data.MemberAsync(berlin, "Max");
        TestData.Succeeded(await members.AddToGroupAsync(TestData.Admin, berlin, new MemberInput("Li", ExternalId: "wx_li"), Ct)); // Berlin is Li's second group
        Database.Clock.Advance(TimeSpan.FromDays(1));
        var maxAgain = await _data.MemberAsync(berlin, "Max again");
        var eve = await _data.MemberAsync(berlin, "Eve");

        await using var db = await Database.CreateDbContextAsync();
        await db.Database.ExecuteSqlAsync($"UPDATE funnel.groups SET country = NULL", Ct);
        foreach (var (member, phone) in new[]
                 {
                     (jana, "015198765432"), (janaAbroad, "+4915198765432"), (li, "13800138000"), (max, "01701234567"),
                     (maxAgain, "+4901701234567"), (eve, "12345"), (nomad, "+12125550100"),
                 })
        {
            await db.Database.ExecuteSqlAsync($"UPDATE funnel.members SET phone = {phone} WHERE id = {member}", Ct);
        }

        await db.CompletedBackfills.ExecuteDeleteAsync(Ct); // the database predates the backfill
        return new OldRows(berlin, shanghai, utc, jana, janaAbroad, li, max, maxAgain, eve, nomad);
    }

    private async Task<Dictionary<Guid, string>> PhonesAsync()
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Members.Where(m => m.Phone != null).ToDictionaryAsync(m => m.Id, m => m.Phone!, Ct);
    }

    private async Task<List<(Guid, string, string?, DateTimeOffset)>> FindingsAsync()
    {
        await using var db = await Database.CreateDbContextAsync();
        return (await db.PhoneFindings.OrderBy(f => f.MemberId).ToListAsync(Ct))
            .Select(f => (f.MemberId, f.StoredPhone, f.NormalizedPhone, f.FoundAt)).ToList();
    }

    private async Task<string?[]> CountriesAsync(params Guid[] groups)
    {
        await using var db = await Database.CreateDbContextAsync();
        var countries = await db.Groups.ToDictionaryAsync(g => g.Id, g => g.Country, Ct);
        return [.. groups.Select(g => countries[g])];
    }
}
