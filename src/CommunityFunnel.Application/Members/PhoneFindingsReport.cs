using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Members;

/// <summary>One person as a row of the report: where they are, and their phone as stored.</summary>
public sealed record FindingMember(Guid Id, string DisplayName, string Phone, DateTimeOffset JoinedAt, IReadOnlyList<string> Groups);

/// <summary>Members whose phones are one number in E.164: the first holds it, the others still have the form they were typed in.</summary>
public sealed record DuplicatePhoneSet(string Phone, IReadOnlyList<FindingMember> Members);

public sealed record PhoneFindings(IReadOnlyList<DuplicatePhoneSet> Duplicates, IReadOnlyList<FindingMember> Unreadable);

/// <summary>
/// What the E.164 backfill left for an admin (merchant-wide, so admins only): members who are likely one person, to
/// merge, and phones that are no valid phone in their member's country. A finding disappears once the phone changes.
/// </summary>
public sealed class PhoneFindingsReport(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    public async Task<Result<PhoneFindings>> GetAsync(Actor actor, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("the phone findings");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await (
                from f in db.PhoneFindings
                join m in db.Members on f.MemberId equals m.Id
                where m.Phone == f.StoredPhone
                select new { f.MemberId, f.NormalizedPhone })
            .ToListAsync(ct);
        var duplicatePhones = open.Select(f => f.NormalizedPhone).OfType<string>().Distinct().ToList();
        var holders = await db.Members.Where(m => m.Phone != null && duplicatePhones.Contains(m.Phone))
            .Select(m => new { m.Id, Phone = m.Phone! }).ToListAsync(ct);
        var people = await PeopleAsync(db, [.. open.Select(f => f.MemberId), .. holders.Select(h => h.Id)], ct);

        var duplicates = duplicatePhones.Order(StringComparer.Ordinal)
            .Select(phone => new DuplicatePhoneSet(phone,
                [.. holders.Where(h => h.Phone == phone).Select(h => people[h.Id]),
                 .. open.Where(f => f.NormalizedPhone == phone).Select(f => people[f.MemberId]).OrderBy(p => p.JoinedAt)]))
            .Where(set => set.Members.Count > 1)
            .ToList();
        var unreadable = open.Where(f => f.NormalizedPhone is null).Select(f => people[f.MemberId]).OrderBy(p => p.DisplayName, StringComparer.CurrentCulture).ToList();
        return new PhoneFindings(duplicates, unreadable);
    }

    private static async Task<Dictionary<Guid, FindingMember>> PeopleAsync(CommunityFunnelDbContext db, Guid[] ids, CancellationToken ct)
    {
        var members = await db.Members.Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.DisplayName, Phone = m.Phone!, m.JoinedAt }).ToListAsync(ct);
        var groups = await (
                from gm in db.GroupMemberships
                join g in db.Groups on gm.GroupId equals g.Id
                where ids.Contains(gm.MemberId)
                orderby gm.JoinedAt
                select new { gm.MemberId, g.Name })
            .ToListAsync(ct);
        return members.ToDictionary(m => m.Id, m => new FindingMember(m.Id, m.DisplayName, m.Phone, m.JoinedAt,
            [.. groups.Where(g => g.MemberId == m.Id).Select(g => g.Name)]));
    }
}
