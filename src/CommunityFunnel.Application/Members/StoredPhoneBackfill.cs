using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Groups;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace CommunityFunnel.Application.Members;

/// <summary>What one run of <see cref="StoredPhoneBackfill"/> did.</summary>
public sealed record PhoneBackfillReport(bool AlreadyDone, int GroupsGivenACountry, int Rewritten, int Duplicates, int Unreadable);

/// <summary>
/// Brings rows written before phones were normalized up to date, at start-up after the migrations: groups without a
/// country get their zone's, then every stored phone is rewritten to E.164 in the country of the member's earliest group.
/// It needs libphonenumber, hence C# rather than a migration. Where two members turn out to have one number it merges
/// nothing and breaks no unique index: the later one keeps the stored phone and becomes a <see cref="PhoneFinding"/>
/// an admin resolves. Idempotent, in batches, and safe when several instances start at once (an advisory lock).
/// </summary>
public sealed class StoredPhoneBackfill(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock, ILogger<StoredPhoneBackfill> logger)
{
    public const string Name = "phones.e164";
    public const int BatchSize = 1000;
    private const long LockKey = 0x43_46_70_68_6E; // "CFphn"
    private static readonly string RewriteSql = EmbeddedSql.Read(typeof(StoredPhoneBackfill), "rewrite_stored_phones.sql");

    /// <summary>Runs once per database: a later run finds it done and only gives new country-less groups their country.</summary>
    public async Task<PhoneBackfillReport> RunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LockKey})", ct);
        try
        {
            var groups = await GiveGroupsTheirCountryAsync(db, ct);
            if (await db.CompletedBackfills.AnyAsync(b => b.Name == Name, ct))
            {
                return new PhoneBackfillReport(AlreadyDone: true, groups, 0, 0, 0);
            }

            var report = await RewritePhonesAsync(db, ct) with { GroupsGivenACountry = groups };
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO funnel.completed_backfills (name, completed_at) VALUES ({Name}, {clock.GetUtcNow()}) ON CONFLICT DO NOTHING", ct);
            // Counts only: phones are personal data and stay out of logs.
            logger.LogInformation(
                "Normalized stored phones to E.164: {Rewritten} rewritten, {Duplicates} left for an admin as duplicates, {Unreadable} not valid in their country",
                report.Rewritten, report.Duplicates, report.Unreadable);
            return report;
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    /// <summary>Rewrites every stored phone that is not yet its own E.164 form; running it again changes nothing.</summary>
    internal async Task<PhoneBackfillReport> RewritePhonesAsync(CommunityFunnelDbContext db, CancellationToken ct)
    {
        var (rewritten, duplicates, unreadable) = (0, 0, 0);
        var after = Guid.Empty;
        while (true)
        {
            var batch = await db.Members.AsNoTracking()
                .Where(m => m.Phone != null && m.Id.CompareTo(after) > 0)
                .OrderBy(m => m.Id)
                .Take(BatchSize)
                .Select(m => new
                {
                    m.Id,
                    Phone = m.Phone!,
                    Country = (from gm in db.GroupMemberships
                               join g in db.Groups on gm.GroupId equals g.Id
                               where gm.MemberId == m.Id
                               orderby gm.JoinedAt, gm.GroupId
                               select g.Country).FirstOrDefault(),
                })
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return new PhoneBackfillReport(AlreadyDone: false, 0, rewritten, duplicates, unreadable);
            }

            after = batch[^1].Id;
            var changes = batch.Select(m => (m.Id, m.Phone, Normalized: PhoneNormalizer.Normalize(m.Phone, m.Country)))
                .Where(m => m.Normalized != m.Phone)
                .ToList();
            if (changes.Count > 0)
            {
                var (r, d, u) = await RewriteBatchAsync(db, changes, ct);
                (rewritten, duplicates, unreadable) = (rewritten + r, duplicates + d, unreadable + u);
            }
        }
    }

    private async Task<(int Rewritten, int Duplicates, int Unreadable)> RewriteBatchAsync(
        CommunityFunnelDbContext db, List<(Guid Id, string Phone, string? Normalized)> changes, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        // One statement per batch; a member added meanwhile with one of these numbers breaks the unique index, and the
        // retry then sees them and leaves that phone as it is.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = new NpgsqlCommand(RewriteSql, connection);
                command.Parameters.Add(new NpgsqlParameter("member_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = changes.Select(c => c.Id).ToArray() });
                command.Parameters.Add(new NpgsqlParameter("stored", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changes.Select(c => c.Phone).ToArray() });
                command.Parameters.Add(new NpgsqlParameter("normalized", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changes.Select(c => (object?)c.Normalized ?? DBNull.Value).ToArray() });
                command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = clock.GetUtcNow() });
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 3)
            {
            }
        }
    }

    /// <summary>Groups from before countries existed (or in no country's zone until now) take their zone's country.</summary>
    private static async Task<int> GiveGroupsTheirCountryAsync(CommunityFunnelDbContext db, CancellationToken ct)
    {
        var zones = await db.Groups.Where(g => g.Country == null).Select(g => g.TimeZoneId).Distinct().ToListAsync(ct);
        var given = 0;
        foreach (var zone in zones)
        {
            if (GroupCountries.FromTimeZone(zone) is { } country)
            {
                given += await db.Groups.Where(g => g.Country == null && g.TimeZoneId == zone)
                    .ExecuteUpdateAsync(s => s.SetProperty(g => g.Country, country), ct);
            }
        }

        return given;
    }
}
