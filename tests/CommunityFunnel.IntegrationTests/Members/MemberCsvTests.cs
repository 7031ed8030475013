using System.Diagnostics;
using System.Text;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Domain.Referrals;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Members;

public sealed class MemberCsvTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private Task<Result<ImportReport>> ImportAsync(Guid group, string csv, ImportMode mode = ImportMode.AllOrNothing) =>
        ImportAsync(group, Encoding.UTF8.GetBytes(csv), mode);

    private Task<Result<ImportReport>> ImportAsync(Guid group, byte[] csv, ImportMode mode = ImportMode.AllOrNothing) =>
        Database.Get<MemberCsvImporter>().ImportAsync(TestData.Admin, group, new MemoryStream(csv), mode, Ct);

    [Fact]
    public async Task ImportAsync_ImportsEveryRow_AndASecondImportCreatesNothing()
    {
        var group = await _data.GroupAsync();
        const string csv = "display_name,phone,external_id,tags,notes\n王小明 🍵,138 0013 8000,,vip;tea,likes oolong\n\"Doe, Jane\",+34 600 000 001,tg_jane,,\nليلى,,wx_layla,,\n";

        var first = (await ImportAsync(group, csv)).Value!;
        var second = (await ImportAsync(group, csv)).Value!;

        Assert.Equal((true, 3, 3, 0), (first.Imported, first.Created, first.AddedToGroup, first.Errors.Count));
        Assert.Equal((true, 0, 0, 3), (second.Imported, second.Created, second.AddedToGroup, second.AlreadyInGroup));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(3, await db.Members.CountAsync(Ct));
        var ming = await db.Members.SingleAsync(m => m.Phone == "+8613800138000", Ct);
        var mingHere = await db.GroupMemberships.SingleAsync(gm => gm.MemberId == ming.Id && gm.GroupId == group, Ct);
        Assert.Equal(("王小明 🍵", "likes oolong"), (ming.DisplayName, mingHere.Notes));
        Assert.Equal(["vip", "tea"], mingHere.Tags);
    }

    [Fact]
    public async Task ImportAsync_AttributesReferrerCodes_AsTheJoinPageWould_AndQueuesMemberJoined()
    {
        var group = await _data.GroupAsync();
        var referrer = await _data.MemberAsync(group, "Mei Lin", phone: "13800138001");
        var existing = await _data.MemberAsync(await _data.GroupAsync("Other group"), "Old friend", phone: "13800138005");
        var code = await CodeOfAsync(referrer);
        var csv = $"display_name,phone,referrer_code\nAda,13800138002,{code}\nMei-Lin,13800138003,{code}\nBo,13800138004,\nOld friend,13800138005,{code}\n";

        var report = TestData.Succeeded(await ImportAsync(group, csv));
        Assert.Equal((true, 3, 4), (report.Imported, report.Created, report.AddedToGroup));
        TestData.Succeeded(await ImportAsync(group, csv)); // again: nothing more is recorded

        await using var db = await Database.CreateDbContextAsync();
        var referrals = await db.Referrals.AsNoTracking().Join(db.Members, r => r.MemberId, m => m.Id, (r, m) => new { m.DisplayName, r.ReferrerId, r.Status, r.Reasons })
            .ToListAsync(Ct);
        Assert.Equal(3, referrals.Count);
        Assert.Equal((referrer, ReferralStatus.Accepted), referrals.Where(r => r.DisplayName == "Ada").Select(r => (r.ReferrerId, r.Status)).Single());
        Assert.Equal([ReferralReasons.SimilarNames], referrals.Single(r => r.DisplayName == "Mei-Lin" && r.Status == ReferralStatus.Flagged).Reasons);
        Assert.Equal([ReferralReasons.AlreadyMember], referrals.Single(r => r.DisplayName == "Old friend" && r.Status == ReferralStatus.Refused).Reasons);
        Assert.Equal(referrer, await db.Members.Where(m => m.DisplayName == "Ada").Select(m => m.ReferrerId).SingleAsync(Ct));
        Assert.Null(await db.Members.Where(m => m.Id == existing).Select(m => m.ReferrerId).SingleAsync(Ct));
        var joined = await db.Database.SqlQuery<int>(
            $"SELECT count(*)::int AS \"Value\" FROM funnel.outbox_messages WHERE type = 'member.joined' AND payload->>'groupId' = {group.ToString()}").SingleAsync(Ct);
        Assert.Equal(5, joined); // the referrer's own join and the file's four
    }

    [Fact]
    public async Task ImportAsync_RefusesRowsWithAnUnknownCode_OrOneOfSomeoneOutsideTheGroup_AndImportsNothing()
    {
        var group = await _data.GroupAsync();
        var outsider = await _data.MemberAsync(await _data.GroupAsync("Other group"), "Outsider");
        var csv = $"name,phone,referrer_code\nAda,13800138002,NOSUCH00\nBo,13800138003,{await CodeOfAsync(outsider)}\nCy,13800138004,\n";

        var report = TestData.Succeeded(await ImportAsync(group, csv));

        Assert.False(report.Imported);
        Assert.Equal([(2, "referrerCode"), (3, "referrerCode")], report.Errors.Select(e => (e.Line, e.Field)));
        Assert.Contains("No member has the referral code NOSUCH00", report.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("not in this group", report.Errors[1].Message, StringComparison.Ordinal);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal((1, 0), (await db.Members.CountAsync(Ct), await db.Referrals.CountAsync(Ct)));
    }

    private async Task<string> CodeOfAsync(Guid member)
    {
        await using var db = await Database.CreateDbContextAsync();
        return await db.Members.Where(m => m.Id == member).Select(m => m.ReferralCode).SingleAsync(Ct);
    }

    [Fact]
    public async Task ImportAsync_ImportsNothing_AndReportsEachBadRowWithItsLine()
    {
        var group = await _data.GroupAsync();
        const string csv = "name,phone\nAda,13800138000\n,13800138001\nBob,not-a-phone\nCy,13800138000\nDee,13800138002\n";

        var report = (await ImportAsync(group, csv)).Value!;

        Assert.False(report.Imported);
        Assert.Equal((5, 2), (report.Rows, report.ValidRows));
        Assert.Equal([(3, "displayName"), (4, "phone"), (5, "phone")], report.Errors.Select(e => (e.Line, e.Field)));
        Assert.Contains("line 2", report.Errors[2].Message, StringComparison.Ordinal);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(0, await db.Members.CountAsync(Ct));
    }

    [Fact]
    public async Task ImportAsync_ImportsOnlyTheGoodRows_WhenTheOperatorChoosesTo()
    {
        var group = await _data.GroupAsync();
        const string csv = "name,phone\nAda,13800138000\n,13800138001\nDee,13800138002\n";

        var report = (await ImportAsync(group, csv, ImportMode.GoodRowsOnly)).Value!;

        Assert.Equal((true, 2, 1), (report.Imported, report.Created, report.Errors.Count));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(2, await db.Members.CountAsync(Ct));
    }

    [Fact]
    public async Task ImportAsync_AddsKnownPeopleToTheGroup_WithoutDuplicatingThem()
    {
        var tea = await _data.GroupAsync("Tea");
        var coffee = await _data.GroupAsync("Coffee");
        await _data.MemberAsync(tea, "Ada", "13800138000");

        var report = (await ImportAsync(coffee, "name,phone\nAda Lovelace,138-0013-8000\nNew,13800138009\n")).Value!;

        Assert.Equal((1, 2), (report.Created, report.AddedToGroup));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(2, await db.Members.CountAsync(Ct));
        Assert.Equal(2, await db.GroupMemberships.CountAsync(gm => gm.GroupId == coffee, Ct));
    }

    [Fact]
    public async Task ImportAsync_HandlesATenMegabyteFileWithAFewBadRows()
    {
        var group = await _data.GroupAsync(capacity: Domain.Groups.Group.MaxCapacity);
        var csv = new StringBuilder("display_name,phone,external_id,tags,notes\n");
        var rows = 0;
        while (csv.Length < 10 * 1024 * 1024)
        {
            rows++;
            var phone = rows % 50_000 == 0 ? "bad phone" : $"139{rows:D8}";
            csv.Append($"Member {rows} 会员,{phone},ext_{rows},tag{rows % 7};group-buy,Joined from the spring campaign\n");
        }

        var strict = (await ImportAsync(group, csv.ToString())).Value!;
        Assert.False(strict.Imported);
        Assert.Equal(rows / 50_000, strict.Errors.Count);
        Assert.All(strict.Errors, e => Assert.Equal("phone", e.Field));

        var lenient = (await ImportAsync(group, csv.ToString(), ImportMode.GoodRowsOnly)).Value!;
        Assert.Equal(rows - (rows / 50_000), lenient.Created);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(lenient.Created, await db.GroupMemberships.CountAsync(gm => gm.GroupId == group, Ct));
    }

    [Fact]
    public async Task ImportAsync_ChecksAFileOfOnlyBadRows_InSeconds() // took 18 s for 20,000 rows and 106 s for 40,000 when quadratic
    {
        var group = await _data.GroupAsync();
        const int rowCount = MemberCsvImporter.MaxRows;
        var csv = new StringBuilder("display_name,phone\n");
        for (var i = 0; i < rowCount; i++)
        {
            csv.Append($",bad phone {i}\n"); // two errors a row: no name, and not a phone
        }

        var watch = Stopwatch.StartNew();
        var report = (await ImportAsync(group, csv.ToString())).Value!;
        watch.Stop();

        Assert.False(report.Imported);
        Assert.Equal((rowCount, 0), (report.Rows, report.ValidRows));
        Assert.Equal(1000, report.Errors.Count); // the report shows the first thousand
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"checking {rowCount:N0} bad rows took {watch.Elapsed}");
    }

    [Fact]
    public async Task ImportAsync_RefusesOversizedEmptyAndNonUtf8Files()
    {
        var group = await _data.GroupAsync();

        var oversized = await ImportAsync(group, new byte[MemberCsvImporter.MaxBytes + 1]);
        var empty = await ImportAsync(group, "");
        var headerOnly = await ImportAsync(group, "name,phone\n");
        var noNameColumn = await ImportAsync(group, "phone\n13800138000\n");
        var gbk = await ImportAsync(group, [.. "name\n"u8.ToArray(), 0xCD, 0xF5, 0x0A]); // "王" in GBK

        Assert.Equal("file_too_large", oversized.Failure?.Code);
        Assert.Equal("empty_file", empty.Failure?.Code);
        Assert.Equal("empty_file", headerOnly.Failure?.Code);
        Assert.Equal("missing_column", noNameColumn.Failure?.Code);
        Assert.Equal("not_utf8", gbk.Failure?.Code);
    }

    [Fact]
    public async Task ExportAsync_DefusesSpreadsheetFormulas_AndReimportsCleanly()
    {
        var group = await _data.GroupAsync();
        await _data.MemberAsync(group, "=HYPERLINK(\"http://evil\",\"x\")", "+8613800138000");
        await _data.MemberAsync(group, "@SUM(A1)");
        await _data.MemberAsync(group, "-2+3");

        using var output = new MemoryStream();
        var exported = await Database.Get<MemberCsvExporter>().ExportAsync(TestData.Admin, group, output, Ct);
        var text = Encoding.UTF8.GetString(output.ToArray());

        Assert.Equal(3, exported.Value);
        Assert.DoesNotContain(text.Split('\n').Skip(1), line => line.Length > 0 && "=+-@".Contains(line.TrimStart('"')[0], StringComparison.Ordinal));
        Assert.Contains("'+8613800138000", text, StringComparison.Ordinal);

        var other = await _data.GroupAsync("Copy");
        var reimport = (await ImportAsync(other, output.ToArray())).Value!;
        Assert.Equal((true, 2, 3), (reimport.Imported, reimport.Created, reimport.AddedToGroup)); // two without phone are new; one matched by phone
        await using var db = await Database.CreateDbContextAsync();
        Assert.True(await db.Members.AnyAsync(m => m.DisplayName == "=HYPERLINK(\"http://evil\",\"x\")" && m.Phone == "+8613800138000", Ct));
    }
}
