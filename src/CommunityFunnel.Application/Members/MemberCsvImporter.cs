using System.Text;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Referrals;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Referrals;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CommunityFunnel.Application.Members;

/// <summary>
/// Imports members into a group from CSV. Every row is checked before anything is written; the write is one
/// transaction (COPY), so a file is imported whole, or only its good rows when the operator asks, or not at all.
/// Importing the same file again finds everyone by phone or platform id and creates nothing.
/// </summary>
public sealed class MemberCsvImporter(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public const long MaxBytes = 20 * 1024 * 1024;
    public const int MaxRows = 200_000;
    private const int MaxReportedErrors = 1000;

    private static readonly Dictionary<string, string> HeaderAliases = new(StringComparer.Ordinal)
    {
        ["displayname"] = "displayName", ["name"] = "displayName", ["nickname"] = "displayName",
        ["phone"] = "phone", ["mobile"] = "phone", ["phonenumber"] = "phone",
        ["externalid"] = "externalId", ["platformid"] = "externalId",
        ["tags"] = "tags", ["notes"] = "notes",
        ["referrercode"] = "referrerCode",
    };

    public async Task<Result<ImportReport>> ImportAsync(Actor actor, Guid groupId, Stream csv, ImportMode mode, CancellationToken ct)
    {
        string? country;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var found = await db.FindGroupForAsync(actor, groupId, ct);
            if (found.Value is not { } group)
            {
                return found.Failure!;
            }

            if (group.IsArchived)
            {
                return Failure.Conflict("group_archived", "The group is archived; restore it before importing members.");
            }

            country = group.Country;
        }

        var content = await ReadCappedAsync(csv, ct);
        if (content is null)
        {
            return Failure.Invalid("file_too_large", $"The file is larger than {MaxBytes / (1024 * 1024)} MB; split it into smaller files.", "file");
        }

        var parsed = Parse(content, country);
        if (parsed.Failure is { } parseFailure)
        {
            return parseFailure;
        }

        var (rows, errors) = parsed.Value;
        await using var writeDb = await dbFactory.CreateDbContextAsync(ct);
        await writeDb.Database.OpenConnectionAsync(ct);
        await using var tx = await writeDb.Database.BeginTransactionAsync(ct);
        // Locked from the count of places left to the commit, so joins meanwhile cannot take the places the file fills.
        var locked = await GroupCapacity.Locked(writeDb, groupId).AsNoTracking().SingleAsync(ct);
        var plan = await PlanAsync(writeDb, groupId, rows, errors, ct);
        plan = KeepWhatFits(plan, await GroupCapacity.PlacesLeftAsync(writeDb, locked, ct), locked.Capacity, errors);
        var valid = rows.Count - BadLines(errors).Count; // every error names one row's line; the plan may have added some
        var canImport = valid > 0 && (errors.Count == 0 || mode == ImportMode.GoodRowsOnly);
        if (!canImport)
        {
            return Report(rows.Count, valid, errors, imported: false, plan with { Joins = [] });
        }

        try
        {
            await WriteAsync(writeDb, plan, ct);
            await tx.CommitAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Failure.Conflict("concurrent_import", "Some of these members were added by someone else while importing; import the file again.", "file");
        }

        return Report(rows.Count, valid, errors, imported: true, plan);
    }

    private sealed record CsvRow(int Line, MemberFields Fields, string? ReferrerCode);

    /// <summary>
    /// One membership to add, for the file's <paramref name="Line"/>: an existing member's, or a new person's
    /// (<paramref name="NewMember"/>), with the referral its referrer_code made (accepted, flagged or refused).
    /// </summary>
    private sealed record PlannedJoin(int Line, GroupMembership Membership, Member? NewMember, Referral? Referral);

    /// <summary>Every membership to add (existing members' and new people's), with the group's tags and notes.</summary>
    private sealed record ImportPlan(List<PlannedJoin> Joins, int AlreadyInGroup)
    {
        public IEnumerable<Member> NewMembers => Joins.Select(j => j.NewMember).OfType<Member>();

        public IEnumerable<Referral> Referrals => Joins.Select(j => j.Referral).OfType<Referral>();
    }

    private static ImportReport Report(int rows, int valid, List<ImportRowError> errors, bool imported, ImportPlan plan) =>
        new(rows, valid, errors.OrderBy(e => e.Line).Take(MaxReportedErrors).ToList(), imported,
            imported ? plan.NewMembers.Count() : 0,
            imported ? plan.Joins.Count : 0,
            plan.AlreadyInGroup);

    /// <summary>The first joins in file order that fit in the group; each row past its capacity is reported, with its line.</summary>
    private static ImportPlan KeepWhatFits(ImportPlan plan, int placesLeft, int capacity, List<ImportRowError> errors)
    {
        var fitting = Math.Max(placesLeft, 0);
        if (plan.Joins.Count <= fitting)
        {
            return plan;
        }

        foreach (var join in plan.Joins.Skip(fitting))
        {
            errors.Add(new ImportRowError(join.Line, "capacity",
                $"The group is full ({capacity:N0} members): this row does not fit. Raise the group's capacity to add it."));
        }

        return plan with { Joins = plan.Joins.Take(fitting).ToList() };
    }

    /// <summary>A set, not a scan of the error list per row: a file of 200,000 bad rows would otherwise take minutes.</summary>
    private static HashSet<int> BadLines(List<ImportRowError> errors) => errors.Select(e => e.Line).ToHashSet();

    private static async Task<byte[]?> ReadCappedAsync(Stream csv, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await csv.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Every row, its phone read in the group's <paramref name="country"/>, with every problem by line.</summary>
    private static Result<(List<CsvRow> Rows, List<ImportRowError> Errors)> Parse(byte[] content, string? country)
    {
        var rows = new List<CsvRow>();
        var errors = new List<ImportRowError>();
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        string text;
        try
        {
            text = decoder.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return Failure.Invalid("not_utf8", "The file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again.", "file");
        }

        using var csv = CsvReader.FromText(text.TrimStart('\uFEFF'), new CsvReaderOptions { TrackLineNumbers = true, TrimWhitespace = true });
        if (!csv.Read())
        {
            return Failure.Invalid("empty_file", "The file is empty: it needs a header row and at least one member.", "file");
        }

        var columns = csv.Headers.Select((h, i) => (Field: HeaderAliases.GetValueOrDefault(Normalize(h)), Index: i))
            .Where(c => c.Field is not null).GroupBy(c => c.Field!).ToDictionary(g => g.Key, g => g.First().Index);
        if (!columns.ContainsKey("displayName"))
        {
            return Failure.Invalid("missing_column",
                "The header row needs a display_name (or name) column; optional columns: phone, external_id, tags, notes, referrer_code.", "file");
        }

        var phonesSeen = new Dictionary<string, int>();
        var externalIdsSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        do
        {
            var line = (int)csv.LineNumber;
            if (rows.Count >= MaxRows)
            {
                return Failure.Invalid("too_many_rows", $"A file may hold at most {MaxRows:N0} members; split it.", "file");
            }

            string? Cell(string field) => columns.TryGetValue(field, out var index) && index < csv.FieldCount ? Unescape(csv.GetString(index)) : null;

            var tags = Cell("tags")?.Split([';', ',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var (fields, violations) = MemberFields.Validate(Cell("displayName"), Cell("phone"), country, Cell("externalId"), tags, Cell("notes"));
            foreach (var v in violations)
            {
                errors.Add(new ImportRowError(line, v.Field ?? "", v.Message));
            }

            if (fields.Phone is { } phone && !phonesSeen.TryAdd(phone, line))
            {
                errors.Add(new ImportRowError(line, "phone", $"Same phone as line {phonesSeen[phone]}."));
            }

            if (fields.ExternalId is { } externalId && !externalIdsSeen.TryAdd(externalId, line))
            {
                errors.Add(new ImportRowError(line, "externalId", $"Same platform id as line {externalIdsSeen[externalId]}."));
            }

            rows.Add(new CsvRow(line, fields, Cell("referrerCode") is { Length: > 0 } code ? code : null));
        }
        while (csv.Read());

        if (rows.Count == 0)
        {
            return Failure.Invalid("empty_file", "The file has a header row but no members.", "file");
        }

        return (rows, errors);
    }

    /// <summary>Matches every good row to an existing member (by phone or platform id) or plans a new one.</summary>
    private async Task<ImportPlan> PlanAsync(CommunityFunnelDbContext db, Guid groupId, List<CsvRow> rows, List<ImportRowError> errors, CancellationToken ct)
    {
        var badLines = BadLines(errors);
        var good = rows.Where(r => !badLines.Contains(r.Line)).ToList();
        var phones = good.Select(r => r.Fields.Phone).OfType<string>().ToArray();
        var externalIds = good.Select(r => r.Fields.ExternalId).OfType<string>().ToArray();
        var existing = await db.Members.AsNoTracking()
            .Where(m => (m.Phone != null && phones.Contains(m.Phone)) || (m.ExternalId != null && externalIds.Contains(m.ExternalId)))
            .Select(m => new { m.Id, m.Phone, m.ExternalId })
            .ToListAsync(ct);
        var byPhone = existing.Where(m => m.Phone is not null).ToDictionary(m => m.Phone!, m => m.Id);
        var byExternalId = existing.Where(m => m.ExternalId is not null).ToDictionary(m => m.ExternalId!, m => m.Id, StringComparer.Ordinal);
        var existingIds = existing.Select(m => m.Id).ToArray();
        var inGroup = (await db.GroupMemberships.Where(gm => gm.GroupId == groupId && existingIds.Contains(gm.MemberId))
            .Select(gm => gm.MemberId).ToListAsync(ct)).ToHashSet();

        var referrers = await ReferrersByCodeAsync(db, groupId, good, ct);
        var now = clock.GetUtcNow();
        var plan = new ImportPlan([], 0);
        var already = 0;
        var existingReferred = new List<(PlannedJoin Join, ReferrerContact Referrer)>();
        foreach (var row in good)
        {
            ReferrerContact? referrer = null;
            if (row.ReferrerCode is { } code)
            {
                if (!referrers.TryGetValue(code, out referrer) || referrer is null)
                {
                    errors.Add(new ImportRowError(row.Line, "referrerCode", referrers.ContainsKey(code)
                        ? $"The referral code {code} belongs to someone who is not in this group."
                        : $"No member has the referral code {code}."));
                    continue;
                }
            }

            Guid? phoneMatch = row.Fields.Phone is { } p && byPhone.TryGetValue(p, out var a) ? a : null;
            Guid? externalMatch = row.Fields.ExternalId is { } x && byExternalId.TryGetValue(x, out var b) ? b : null;
            if (phoneMatch is { } pm && externalMatch is { } em && pm != em)
            {
                errors.Add(new ImportRowError(row.Line, "externalId", "The phone belongs to one existing member and the platform id to another."));
                continue;
            }

            if ((phoneMatch ?? externalMatch) is { } memberId)
            {
                if (inGroup.Add(memberId))
                {
                    var join = new PlannedJoin(row.Line, Membership(groupId, memberId, row, now), NewMember: null, Referral: null);
                    plan.Joins.Add(join);
                    if (referrer is not null)
                    {
                        existingReferred.Add((join, referrer));
                    }
                }
                else
                {
                    already++;
                }

                continue;
            }

            var member = new Member(row.Fields.DisplayName, row.Fields.Phone, row.Fields.ExternalId, now);
            var referral = referrer is null ? null : ReferralAttribution.Decide(member, isNewMember: true, referrer, groupId, null, manyFromAddress: false, now);
            plan.Joins.Add(new PlannedJoin(row.Line, Membership(groupId, member.Id, row, now), member, referral));
        }

        return plan with { Joins = await WithRefusalsOfExistingMembersAsync(db, groupId, plan.Joins, existingReferred, now, ct), AlreadyInGroup = already };
    }

    /// <summary>
    /// The referrers the file's codes name: each code's contact when its member is in the group, null when they are
    /// not, and no entry when no member has the code.
    /// </summary>
    private static async Task<Dictionary<string, ReferrerContact?>> ReferrersByCodeAsync(
        CommunityFunnelDbContext db, Guid groupId, List<CsvRow> rows, CancellationToken ct)
    {
        var codes = rows.Select(r => r.ReferrerCode).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (codes.Length == 0)
        {
            return [];
        }

        var found = await db.Members.AsNoTracking().Where(m => codes.Contains(m.ReferralCode))
            .Select(m => new
            {
                m.ReferralCode,
                Contact = new ReferrerContact(m.Id, m.DisplayName, m.Phone, m.ExternalId),
                InGroup = db.GroupMemberships.Any(gm => gm.GroupId == groupId && gm.MemberId == m.Id),
            })
            .ToListAsync(ct);
        return found.ToDictionary(m => m.ReferralCode, m => m.InGroup ? m.Contact : null, StringComparer.Ordinal);
    }

    /// <summary>Someone who was already a member is never attributed; the refusal is recorded as on every other door.</summary>
    private static async Task<List<PlannedJoin>> WithRefusalsOfExistingMembersAsync(CommunityFunnelDbContext db, Guid groupId, List<PlannedJoin> joins,
        List<(PlannedJoin Join, ReferrerContact Referrer)> existingReferred, DateTimeOffset now, CancellationToken ct)
    {
        if (existingReferred.Count == 0)
        {
            return joins;
        }

        var ids = existingReferred.Select(e => e.Join.Membership.MemberId).ToArray();
        var members = await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var refusals = existingReferred.ToDictionary(e => e.Join, e =>
            ReferralAttribution.Decide(members[e.Join.Membership.MemberId], isNewMember: false, e.Referrer, groupId, null, manyFromAddress: false, now));
        return [.. joins.Select(j => refusals.TryGetValue(j, out var refusal) ? j with { Referral = refusal } : j)];
    }

    /// <summary>Writes the plan inside the caller's transaction.</summary>
    private static async Task WriteAsync(CommunityFunnelDbContext db, ImportPlan plan, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var tx = (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        await using (var members = await connection.BeginBinaryImportAsync(
            "COPY funnel.members (id, display_name, phone, external_id, joined_at, stage, referrer_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var m in plan.NewMembers)
            {
                await members.StartRowAsync(ct);
                await members.WriteAsync(m.Id, NpgsqlDbType.Uuid, ct);
                await members.WriteAsync(m.DisplayName, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(members, m.Phone, ct);
                await WriteNullableAsync(members, m.ExternalId, ct);
                await members.WriteAsync(m.JoinedAt, NpgsqlDbType.TimestampTz, ct);
                await members.WriteAsync(m.Stage.ToString(), NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(members, m.ReferrerId, ct);
            }

            await members.CompleteAsync(ct);
        }

        // Fresh statistics before the memberships' foreign-key checks: a table just emptied or filled by COPY reads as
        // empty to the planner, which may then check each row by scanning another index end to end (seen in CI:
        // minutes for 120,000 rows instead of a second).
        await using (var analyze = new NpgsqlCommand("ANALYZE funnel.members", connection, tx))
        {
            await analyze.ExecuteNonQueryAsync(ct);
        }

        await using (var memberships = await connection.BeginBinaryImportAsync(
            "COPY funnel.group_memberships (group_id, member_id, joined_at, tags, notes) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var membership in plan.Joins.Select(j => j.Membership))
            {
                await memberships.StartRowAsync(ct);
                await memberships.WriteAsync(membership.GroupId, NpgsqlDbType.Uuid, ct);
                await memberships.WriteAsync(membership.MemberId, NpgsqlDbType.Uuid, ct);
                await memberships.WriteAsync(membership.JoinedAt, NpgsqlDbType.TimestampTz, ct);
                await memberships.WriteAsync(membership.Tags.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await memberships.WriteAsync(membership.Notes, NpgsqlDbType.Varchar, ct);
            }

            await memberships.CompleteAsync(ct);
        }

        await WriteReferralsAsync(connection, plan.Referrals, ct);
        await WriteJoinedEventsAsync(connection, plan.Joins.Select(j => j.Membership), ct);
    }

    /// <summary>
    /// The referrals the file's codes made, as the join page would record them. Unlike a join through a link, an
    /// import records history: it gives no promotion-day gift packs (their event is not handled).
    /// </summary>
    private static async Task WriteReferralsAsync(NpgsqlConnection connection, IEnumerable<Referral> referrals, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY funnel.referrals (id, member_id, referrer_id, group_id, status, reasons, created_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var referral in referrals)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(referral.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(referral.MemberId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(referral.ReferrerId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(referral.GroupId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(referral.Status.ToString(), NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(referral.Reasons.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await copy.WriteAsync(referral.CreatedAt, NpgsqlDbType.TimestampTz, ct);
        }

        await copy.CompleteAsync(ct);
    }

    /// <summary>member.joined for every membership, in the outbox as a join one at a time would put it there.</summary>
    private static async Task WriteJoinedEventsAsync(NpgsqlConnection connection, IEnumerable<GroupMembership> memberships, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY funnel.outbox_messages (id, type, payload, occurred_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var message in memberships.SelectMany(m => m.TakeEvents()).Select(PublishedEvents.ToOutbox).OfType<OutboxMessage>())
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(message.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(message.Type, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(message.Payload, NpgsqlDbType.Jsonb, ct);
            await copy.WriteAsync(message.OccurredAt, NpgsqlDbType.TimestampTz, ct);
        }

        await copy.CompleteAsync(ct);
    }

    private static GroupMembership Membership(Guid groupId, Guid memberId, CsvRow row, DateTimeOffset joinedAt)
    {
        var membership = new GroupMembership(groupId, memberId, joinedAt);
        membership.Describe(row.Fields.Tags, row.Fields.Notes);
        return membership;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken ct) =>
        value is null ? importer.WriteNullAsync(ct) : importer.WriteAsync(value, NpgsqlDbType.Varchar, ct);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, Guid? value, CancellationToken ct) =>
        value is { } id ? importer.WriteAsync(id, NpgsqlDbType.Uuid, ct) : importer.WriteNullAsync(ct);

    private static string Normalize(string header) => new(header.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>Undoes the apostrophe our own export puts before formula-like cells, so an exported file re-imports as-is.</summary>
    private static string? Unescape(string? cell) =>
        cell is { Length: > 1 } && cell[0] == '\'' && CsvSafety.IsFormulaStart(cell[1]) ? cell[1..] : cell;
}
