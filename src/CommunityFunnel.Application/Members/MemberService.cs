using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Referrals;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Members;

/// <summary>Adding, editing and moving members. Every call checks the actor may work with the member's groups.</summary>
public sealed class MemberService(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public const int ReasonMaxLength = 200;

    public const string IdentityAdminOnly = "identity_admin_only";

    /// <summary>The failure code of <see cref="AddNewcomerAsync"/> when the person is already a member somewhere.</summary>
    public const string AlreadyRegistered = "already_registered";

    /// <summary>
    /// Adds a person to a group. A person already known by phone or platform id is the same member: they gain the
    /// membership (if new) and keep their stage and history, so repeating the call creates nothing twice.
    /// </summary>
    public Task<Result<MemberSaved>> AddToGroupAsync(Actor actor, Guid groupId, MemberInput input, CancellationToken ct) =>
        AddAsync(actor, groupId, input, newcomerOnly: false, clientAddress: null, ct);

    /// <summary>
    /// Someone joining by themselves: only a person not yet known is added. A known phone or platform id writes nothing
    /// and fails with <see cref="AlreadyRegistered"/>, since anyone can type someone else's phone.
    /// </summary>
    /// <param name="clientAddress">Where the join came from: many joins through one referral code from one address are flagged.</param>
    public Task<Result<MemberSaved>> AddNewcomerAsync(Guid groupId, MemberInput input, string? clientAddress, CancellationToken ct) =>
        AddAsync(Actor.System, groupId, input, newcomerOnly: true, clientAddress, ct);

    private async Task<Result<MemberSaved>> AddAsync(Actor actor, Guid groupId, MemberInput input, bool newcomerOnly, string? clientAddress, CancellationToken ct)
    {
        // Two requests for the same new person can race; the unique index lets one win and the retry finds it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AddOnceAsync(actor, groupId, input, newcomerOnly, clientAddress, ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation() && attempt < 5)
            {
            }
        }
    }

    /// <summary>
    /// Renames a member or changes their contact. Phone and platform id identify the person in every group (joining,
    /// imports and links find them by these), so only an admin changes them; operators may correct the name.
    /// </summary>
    public async Task<Result<MemberSaved>> UpdateContactAsync(Actor actor, Guid memberId, MemberContact input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindMemberForAsync(actor, memberId, ct);
        if (found.Value is not { } member)
        {
            return found.Failure!;
        }

        // A phone sent back as it is stored stays as it is: a number the E.164 backfill could not rewrite (a duplicate
        // waiting for an admin) must not block correcting the name.
        var phoneUnchanged = member.Phone is not null && input.Phone?.Trim() == member.Phone;
        var country = phoneUnchanged ? null : await HomeCountryAsync(db, memberId, ct);
        var (fields, errors) = MemberFields.Validate(input.DisplayName, phoneUnchanged ? null : input.Phone, country, input.ExternalId, null, null);
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        if (phoneUnchanged)
        {
            fields = fields with { Phone = member.Phone };
        }

        if (!actor.IsAdmin && (member.Phone != fields.Phone || member.ExternalId != fields.ExternalId))
        {
            return new Failure(FailureKind.Forbidden,
                [new RuleViolation(IdentityAdminOnly, "Phone and platform id identify the person in every group; ask an admin to change them.", "phone")]);
        }

        var clash = await FindClashAsync(db, fields, except: memberId, ct);
        if (clash is not null)
        {
            return clash;
        }

        var now = clock.GetUtcNow();
        if (member.DisplayName != fields.DisplayName)
        {
            db.Audit(now, AuditCategory.Access, actor, "member.renamed", fields.DisplayName, $"Renamed from {member.DisplayName}.");
        }

        member.Rename(fields.DisplayName);
        member.SetContact(fields.Phone, fields.ExternalId);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("concurrent_change", "Someone else changed this member meanwhile; reload and try again.");
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return Failure.Conflict("duplicate_member", "Another member already has this phone or platform id.", "phone");
        }

        return new MemberSaved(member.Id, member.Stage, Created: false);
    }

    /// <summary>Replaces the tags and notes a group keeps about one of its members (other groups keep their own).</summary>
    public async Task<Result<MemberSaved>> DescribeInGroupAsync(Actor actor, Guid memberId, Guid groupId, IReadOnlyList<string>? tags, string? notes, CancellationToken ct)
    {
        var errors = new List<RuleViolation>();
        var (cleanTags, cleanNotes) = MemberFields.CheckDescription(tags, notes, errors);
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindInGroupForAsync(actor, db.GroupMemberships.Where(gm => gm.MemberId == memberId && gm.GroupId == groupId), gm => gm.GroupId, "member", ct);
        if (found.Value is not { } membership)
        {
            return found.Failure!;
        }

        membership.Describe(cleanTags, cleanNotes);
        await db.SaveChangesAsync(ct);
        var stage = await db.Members.Where(m => m.Id == memberId).Select(m => m.Stage).SingleAsync(ct);
        return new MemberSaved(memberId, stage, Created: false);
    }

    /// <summary>An operator's decision to move a member to any stage, kept in the history with its reason.</summary>
    public async Task<Result<StageChangeOutcome>> MoveStageAsync(Actor actor, Guid memberId, FunnelStage target, string? reason, CancellationToken ct)
    {
        var reasonError = TextRules.CheckName(reason, "reason", ReasonMaxLength, out var cleanReason);
        if (reasonError is not null || !Enum.IsDefined(target))
        {
            return Failure.Invalid(reasonError is not null ? [reasonError] : [new RuleViolation("unknown_stage", "Unknown stage.", "stage")]);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindMemberForAsync(actor, memberId, ct);
        if (found.Value is not { } member)
        {
            return found.Failure!;
        }
        var from = member.Stage;
        var now = clock.GetUtcNow();
        var outcome = member.MoveTo(target, cleanReason, actor.Name, now, await DecidedInGroupAsync(db, actor, memberId, ct));
        if (outcome != StageChangeOutcome.Moved)
        {
            return outcome;
        }

        db.Audit(now, AuditCategory.Stage, actor, "member.stage", member.DisplayName, $"{from} -> {target}: {cleanReason}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("concurrent_change", "The member changed meanwhile (perhaps an order was paid); reload and try again.");
        }

        return outcome;
    }

    private async Task<Result<MemberSaved>> AddOnceAsync(Actor actor, Guid groupId, MemberInput input, bool newcomerOnly, string? clientAddress, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The group's row stays locked until the membership is written, so people joining at once take its last places one by one.
        var found = await db.FindInGroupForAsync(actor, GroupCapacity.Locked(db, groupId), g => g.Id, "group", ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        var (fields, errors) = MemberFields.Validate(input.DisplayName, input.Phone, group.Country, input.ExternalId, input.Tags, input.Notes);
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        if (group.IsArchived)
        {
            return Failure.Conflict("group_archived", "The group is archived; restore it before adding members.");
        }

        var placesLeft = await GroupCapacity.PlacesLeftAsync(db, group, ct);
        if (newcomerOnly && placesLeft <= 0)
        {
            return GroupCapacity.Full(group); // before any lookup: a full group answers every stranger alike
        }

        if (input.ReferrerId is { } rid && !await db.CanAccessMemberAsync(actor, rid, ct))
        {
            return Failure.Invalid("unknown_referrer", "The referrer is not a member you can see.", "referrerId");
        }

        var referrerId = input.ReferrerId;
        if (!string.IsNullOrWhiteSpace(input.ReferrerCode))
        {
            var resolved = await ReferralAttribution.ResolveCodeAsync(db, input.ReferrerCode, groupId, ct);
            if (resolved.Failure is { } unknownCode)
            {
                return unknownCode;
            }

            referrerId = resolved.Value;
        }

        var now = clock.GetUtcNow();
        var matches = await MatchingMembers(db, fields).ToListAsync(ct);
        if (matches.Count > 1)
        {
            return Failure.Conflict("identity_conflict", "The phone belongs to one member and the platform id to another.", "phone");
        }

        var member = matches.SingleOrDefault();
        if (member is not null && newcomerOnly)
        {
            if (referrerId is { } refused)
            {
                await ReferralAttribution.AttributeAsync(db, member, isNewMember: false, refused, groupId, clientAddress, now, ct);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }

            return Failure.Conflict(AlreadyRegistered, "This person is already registered.", "phone");
        }

        var created = member is null;
        if (member is null)
        {
            member = new Member(fields.DisplayName, fields.Phone, fields.ExternalId, now);
            db.Members.Add(member);
        }

        if (referrerId is { } referrer)
        {
            await ReferralAttribution.AttributeAsync(db, member, created, referrer, groupId, clientAddress, now, ct);
        }

        var alreadyInGroup = !created && await db.GroupMemberships.AnyAsync(gm => gm.GroupId == groupId && gm.MemberId == member.Id, ct);
        if (!alreadyInGroup)
        {
            if (placesLeft <= 0)
            {
                return GroupCapacity.Full(group);
            }

            var membership = new GroupMembership(groupId, member.Id, now);
            membership.Describe(fields.Tags, fields.Notes);
            db.GroupMemberships.Add(membership);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new MemberSaved(member.Id, member.Stage, created);
    }

    /// <summary>
    /// The group an operator's stage decision belongs to (their earliest group the member is in), so only that group's
    /// operators read its reason; an admin's decision is merchant-wide (null).
    /// </summary>
    private static async Task<Guid?> DecidedInGroupAsync(CommunityFunnelDbContext db, Actor actor, Guid memberId, CancellationToken ct)
    {
        if (actor.IsAdmin)
        {
            return null;
        }

        var visible = db.VisibleGroupIds(actor);
        return await db.GroupMemberships.Where(gm => gm.MemberId == memberId && visible.Contains(gm.GroupId))
            .OrderBy(gm => gm.JoinedAt).Select(gm => (Guid?)gm.GroupId).FirstOrDefaultAsync(ct);
    }

    /// <summary>The country a member's phone is read in: their first group's (the E.164 backfill reads stored phones so too).</summary>
    private static Task<string?> HomeCountryAsync(CommunityFunnelDbContext db, Guid memberId, CancellationToken ct) =>
        (from gm in db.GroupMemberships
         join g in db.Groups on gm.GroupId equals g.Id
         where gm.MemberId == memberId
         orderby gm.JoinedAt, gm.GroupId
         select g.Country).FirstOrDefaultAsync(ct);

    private static IQueryable<Member> MatchingMembers(CommunityFunnelDbContext db, MemberFields fields) =>
        db.Members.Where(m => (fields.Phone != null && m.Phone == fields.Phone) || (fields.ExternalId != null && m.ExternalId == fields.ExternalId));

    private static async Task<Failure?> FindClashAsync(CommunityFunnelDbContext db, MemberFields fields, Guid except, CancellationToken ct)
    {
        var clash = await MatchingMembers(db, fields).Where(m => m.Id != except)
            .Select(m => new { m.Phone, m.ExternalId }).FirstOrDefaultAsync(ct);
        if (clash is null)
        {
            return null;
        }

        return clash.Phone == fields.Phone && fields.Phone is not null
            ? Failure.Conflict("duplicate_phone", "Another member already has this phone number.", "phone")
            : Failure.Conflict("duplicate_external_id", "Another member already has this platform id.", "externalId");
    }
}
