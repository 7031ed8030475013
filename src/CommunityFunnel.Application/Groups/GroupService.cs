using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Data.Configurations;
using CommunityFunnel.Application.Media;
using CommunityFunnel.Application.Payments;
using CommunityFunnel.Application.Settings;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Groups;

public sealed class GroupService(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<GroupRow>> ListAsync(Actor actor, string? search, bool includeArchived, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = db.VisibleGroups(actor).AsNoTracking();
        if (!includeArchived)
        {
            groups = groups.Where(g => !g.IsArchived);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{Like.Escape(search.Trim())}%";
            groups = groups.Where(g => EF.Functions.ILike(g.Name, pattern, Like.EscapeCharacter));
        }

        return await RowsAsync(db, groups.OrderBy(g => g.Name), ct);
    }

    /// <summary>The groups the actor runs, in id order (creation order to the millisecond), a page at a time (for integrations).</summary>
    public async Task<Result<CursorPage<GroupRow>>> ListPageAsync(Actor actor, bool includeArchived, string? cursor, int? limit, CancellationToken ct)
    {
        var request = Cursor.ReadIdPage("groups", cursor, limit);
        if (request.Failure is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = db.VisibleGroups(actor).AsNoTracking();
        if (!includeArchived)
        {
            groups = groups.Where(g => !g.IsArchived);
        }

        if (request.Value.After is { } after)
        {
            groups = groups.Where(g => g.Id.CompareTo(after) > 0);
        }

        var rows = await RowsAsync(db, groups.OrderBy(g => g.Id).Take(request.Value.Limit + 1), ct);
        return Cursor.PageById("groups", rows, request.Value.Limit, r => r.Id);
    }

    private static async Task<List<GroupRow>> RowsAsync(CommunityFunnelDbContext db, IQueryable<Group> ordered, CancellationToken ct)
    {
        var rows = await ordered
            .Select(g => new { g.Id, g.Name, g.Platform, g.TimeZoneId, g.Currency, g.Capacity, g.IsArchived })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var counts = await StageCountsAsync(db, ids, ct);
        return rows.Select(r =>
        {
            var stageCounts = counts.GetValueOrDefault(r.Id) ?? EmptyCounts();
            return new GroupRow(r.Id, r.Name, r.Platform, r.TimeZoneId, r.Currency, r.Capacity, r.IsArchived, stageCounts.Values.Sum(), stageCounts);
        }).ToList();
    }

    public async Task<Result<GroupDetails>> GetAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Value is not { } g)
        {
            return found.Failure!;
        }

        var counts = (await StageCountsAsync(db, [g.Id], ct)).GetValueOrDefault(g.Id) ?? EmptyCounts();
        var qr = await db.Images.Where(i => i.Id == g.PaymentQrImageId).Select(i => new { i.Token, i.ContentType }).SingleOrDefaultAsync(ct);
        return new GroupDetails(g.Id, g.Name, g.Platform, g.TimeZoneId, g.Currency, g.Capacity, g.AudienceNotes, g.Rules, g.Language, g.Country, g.JoinCode,
            g.IsArchived, g.CreatedAt, counts.Values.Sum(), counts, g.HostContact)
        {
            PaymentInstructions = g.PaymentInstructions,
            PaymentQrUrl = qr is null ? null : ImageLinks.PathFor(qr.Token, qr.ContentType),
        };
    }

    /// <summary>The code of the group's current join link, for those who run the group.</summary>
    public async Task<Result<string>> JoinCodeAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindInGroupForAsync(actor, db.Groups.Where(g => g.Id == groupId).Select(g => new { g.Id, g.JoinCode }), g => g.Id, "group", ct);
        return found.Value is { } group ? group.JoinCode : found.Failure!;
    }

    /// <summary>
    /// Replaces the group's join link with a new one, for when the old one has spread too far: the old code is retired (its
    /// page says the link no longer works) and admits nobody. Returns the new code.
    /// </summary>
    public async Task<Result<string>> RenewJoinLinkAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Locked, so two renewals at once retire the code each of them saw exactly once.
        var found = await db.FindInGroupForAsync(actor, GroupCapacity.Locked(db, groupId), g => g.Id, "group", ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        var now = clock.GetUtcNow();
        db.RetiredJoinCodes.Add(new RetiredJoinCode(group.JoinCode, group.Id, now));
        db.Audit(now, AuditCategory.Access, actor, "group.join_link_renewed", group.Name, "Replaced the group's join link; the old link no longer admits anyone.");
        await db.SaveChangesAsync(ct);
        await db.Database.ExecuteSqlRawAsync(RenewJoinCodeSql, [groupId], ct);
        var code = await db.Groups.Where(g => g.Id == groupId).Select(g => g.JoinCode).SingleAsync(ct);
        await tx.CommitAsync(ct);
        return code;
    }

    /// <summary>The database makes the new code, as it makes every join code (<see cref="RandomCodes"/>).</summary>
    private const string RenewJoinCodeSql = "UPDATE funnel.groups SET join_code = " + RandomCodes.Sql + " WHERE id = {0}";

    /// <summary>
    /// Creates a group. Operators may only when an admin allows it (a setting); an operator who creates one is assigned
    /// to it, so they can run it straight away.
    /// </summary>
    public async Task<Result<Guid>> CreateAsync(Actor actor, GroupInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!actor.IsAdmin && !(await db.CurrentSettingsAsync(ct)).OperatorsMayCreateGroups)
        {
            return new Failure(FailureKind.Forbidden,
                [new RuleViolation("group_creation_not_allowed", "Only admins create groups here; an admin can allow operators to in Settings.")]);
        }

        var (settings, errors) = Validate(input);
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        var group = new Group(settings, now);
        db.Groups.Add(group);
        if (!actor.IsAdmin)
        {
            db.GroupAssignments.Add(new GroupAssignment(actor.Id, group.Id));
            db.Audit(now, AuditCategory.Access, actor, "group.assigned", group.Name, $"{actor.Name} created the group and was assigned to it.");
        }

        await db.SaveChangesAsync(ct);
        return group.Id;
    }

    public async Task<Result<Guid>> UpdateAsync(Actor actor, Guid groupId, GroupInput input, CancellationToken ct)
    {
        var (settings, errors) = Validate(input);
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        return await ApplyAsync(db, group, settings, ct);
    }

    /// <summary>
    /// Changes only the settings given. A country left out follows a new time zone when it was that zone's own, and
    /// stays when it was chosen.
    /// </summary>
    public async Task<Result<Guid>> ChangeAsync(Actor actor, Guid groupId, GroupChanges changes, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        var (settings, errors) = Validate(new GroupInput(
            changes.Name ?? group.Name,
            changes.Platform ?? group.Platform,
            changes.TimeZone ?? group.TimeZoneId,
            changes.Currency ?? group.Currency,
            changes.Capacity ?? group.Capacity,
            changes.AudienceNotes ?? group.AudienceNotes,
            changes.Rules ?? group.Rules,
            changes.Language ?? group.Language,
            changes.HostContact ?? group.HostContact,
            changes.Country ?? GroupCountries.Chosen(group.Country, group.TimeZoneId)));
        var allErrors = errors.ToList();
        allErrors.AddIfAny(PaymentInstructions.Check(changes.PaymentInstructions ?? group.PaymentInstructions, out var paymentInstructions));
        if (allErrors.Count > 0)
        {
            return Failure.Invalid(allErrors);
        }

        group.SetPaymentInstructions(paymentInstructions);
        return await ApplyAsync(db, group, settings, ct);
    }

    private static async Task<Result<Guid>> ApplyAsync(CommunityFunnelDbContext db, Group group, GroupSettings settings, CancellationToken ct)
    {
        if (group.Currency != settings.Currency && await db.Orders.AnyAsync(o => o.GroupId == group.Id, ct))
        {
            return Failure.Conflict("currency_locked", "The currency cannot change once the group has orders.", "currency");
        }

        group.Apply(settings);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("concurrent_change", "Someone else changed this group meanwhile; reload and try again.");
        }

        return group.Id;
    }

    public async Task<Result<Guid>> SetArchivedAsync(Actor actor, Guid groupId, bool archived, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        if (archived)
        {
            group.Archive();
        }
        else
        {
            group.Restore();
        }

        await db.SaveChangesAsync(ct);
        return group.Id;
    }

    private static (GroupSettings Settings, IReadOnlyList<RuleViolation> Errors) Validate(GroupInput input)
    {
        var (settings, domainErrors) = GroupSettings.Validate(
            input.Name, input.Platform, input.TimeZone, input.Currency, input.Capacity, input.AudienceNotes, input.Rules, input.Language, input.HostContact);
        var errors = domainErrors.ToList();
        errors.AddIfAny(GroupCountries.Check(input.Country, settings.TimeZoneId, "country", out var country));
        return (settings with { Country = country }, errors);
    }

    private static async Task<Dictionary<Guid, IReadOnlyDictionary<FunnelStage, int>>> StageCountsAsync(
        CommunityFunnelDbContext db, IReadOnlyCollection<Guid> groupIds, CancellationToken ct)
    {
        var counts = await (
                from gm in db.GroupMemberships
                join m in db.Members on gm.MemberId equals m.Id
                where groupIds.Contains(gm.GroupId)
                group gm by new { gm.GroupId, m.Stage } into g
                select new { g.Key.GroupId, g.Key.Stage, Count = g.Count() })
            .ToListAsync(ct);

        return counts.GroupBy(c => c.GroupId).ToDictionary(
            g => g.Key,
            g =>
            {
                var byStage = EmptyCounts();
                foreach (var c in g)
                {
                    byStage[c.Stage] = c.Count;
                }

                return (IReadOnlyDictionary<FunnelStage, int>)byStage;
            });
    }

    private static Dictionary<FunnelStage, int> EmptyCounts() => FunnelStages.All.ToDictionary(s => s, _ => 0);
}
