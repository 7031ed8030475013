using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.RedEnvelopes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace CommunityFunnel.Application.RedEnvelopes;

public sealed record RainInput(IReadOnlyList<Guid> GroupIds, Guid? EventId, DateTimeOffset StartsAt, IReadOnlyList<WaveTerms> Waves, RainPayout Payout, bool Announce);

public sealed record RainWaveView(Guid Id, Guid GroupId, DateTimeOffset OpensAt);

public sealed record RainCreated(Guid Id, IReadOnlyList<RainWaveView> Waves);

public sealed record WaveView(
    Guid Id, Guid RainId, Guid GroupId, string Currency, int Packets, int Claimed, decimal Budget, decimal ClaimedAmount, WaveState State,
    DateTimeOffset OpensAt, DateTimeOffset ClosesAt, IReadOnlyList<decimal> Split);

public sealed record PacketClaimed(decimal Amount, string Currency, RainPayoutKind Payout, Guid? CouponId);

/// <summary>
/// Red-envelope rains: saved with every wave's packets split once (the published split never changes), and claimed
/// first come, first served, one packet per member per wave, paid out as store credit or a coupon in the same
/// statement as the claim.
/// </summary>
public sealed class RedEnvelopeRains(IDbContextFactory<CommunityFunnelDbContext> dbFactory, IMemoryCache waves, TimeProvider clock)
{
    private static readonly string ClaimPacketSql = EmbeddedSql.Read(typeof(RedEnvelopeRains), "claim_packet.sql");

    /// <summary>A wave is claimed within its hour; remembered a little longer than that since the last claim.</summary>
    private static readonly TimeSpan RememberWavesFor = TimeSpan.FromMinutes(90);

    /// <summary>Per wave and instance: enough to keep the packet rows busy (claims skip each other's), few enough that a rush queues in memory.</summary>
    private const int ClaimsInDatabaseAtOnce = 8;

    /// <summary>A claim that found packets left but every one held by other claims looks again this many times in all.</summary>
    private const int MaxAttempts = 3;

    public async Task<Result<RainCreated>> CreateAsync(Actor actor, RainInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groupIds = input.GroupIds.Distinct().ToList();
        if (groupIds.Count == 0)
        {
            return Failure.Invalid("no_groups", "Choose at least one group for the rain.", "groupIds");
        }

        var groups = await db.Groups.AsNoTracking().Where(g => groupIds.Contains(g.Id)).Select(g => new { g.Id, g.Name, g.Currency }).ToListAsync(ct);
        if (groups.Count != groupIds.Count)
        {
            return Failure.NotFound("A group");
        }

        if (await db.VisibleGroupIds(actor).CountAsync(id => groupIds.Contains(id), ct) != groupIds.Count)
        {
            return Failure.Forbidden("one of these groups");
        }

        var now = clock.GetUtcNow();
        var errors = new List<RuleViolation>(RedEnvelopeRain.Check(input.Waves, input.Payout, groups.Select(g => Currencies.MinorUnit(g.Currency))));
        if (input.StartsAt + RedEnvelopeRain.FirstHour <= now)
        {
            errors.Add(new RuleViolation("rain_in_the_past", "The rain's first hour is over already; choose a start from now on.", "startsAt"));
        }

        if (input.EventId is { } eventId && !await db.EventOccurrences.AnyAsync(o => o.EventId == eventId && groupIds.Contains(o.GroupId), ct))
        {
            errors.Add(new RuleViolation("unknown_event", "That event is not one of these groups' events.", "eventId"));
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        var rain = new RedEnvelopeRain(input.EventId, input.StartsAt, input.Payout, input.Announce, actor.Name, now);
        var waves = groups.SelectMany(group => input.Waves.Select(terms => new RedEnvelopeWave(rain, group.Id, group.Currency, terms,
            PacketSplit.DoubleMean(terms.Budget, terms.Packets, Currencies.MinorUnit(group.Currency), Random.Shared)))).ToList();
        db.RedEnvelopeRains.Add(rain);
        db.RedEnvelopeWaves.AddRange(waves);
        db.Audit(now, AuditCategory.Sales, actor, "red-envelope-rain.created", string.Join(", ", groups.Select(g => g.Name)),
            $"{input.Waves.Count} waves from {input.StartsAt:u}: {string.Join(", ", input.Waves.Select(w => $"+{w.OffsetMinutes} min {w.Budget} in {w.Packets}"))}, paid as {input.Payout.Kind}");
        await db.SaveChangesAsync(ct);
        return new RainCreated(rain.Id, [.. waves.OrderBy(w => w.OpensAt).ThenBy(w => w.GroupId).Select(w => new RainWaveView(w.Id, w.GroupId, w.OpensAt))]);
    }

    public async Task<Result<WaveView>> WaveAsync(Actor actor, Guid waveId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindInGroupForAsync(actor, db.RedEnvelopeWaves.AsNoTracking().Where(w => w.Id == waveId)
            .Select(w => new
            {
                w.Id, w.RainId, w.GroupId, w.Currency, w.PacketCount, w.Budget, w.OpensAt, w.ClosesAt,
                Claimed = w.Packets.Count(p => p.ClaimedBy != null),
                ClaimedAmount = w.Packets.Where(p => p.ClaimedBy != null).Sum(p => p.Amount),
                Split = w.Packets.OrderBy(p => p.Position).Select(p => p.Amount).ToList(),
            }), w => w.GroupId, "wave", ct);
        if (found.Value is not { } wave)
        {
            return found.Failure!;
        }

        return new WaveView(wave.Id, wave.RainId, wave.GroupId, wave.Currency, wave.PacketCount, wave.Claimed, wave.Budget, wave.ClaimedAmount,
            RedEnvelopeWave.StateAt(clock.GetUtcNow(), wave.OpensAt, wave.ClosesAt, wave.PacketCount, wave.Claimed), wave.OpensAt, wave.ClosesAt, wave.Split);
    }

    /// <summary>
    /// Gives <paramref name="memberId"/> the wave's next packet: refused before the wave opens and after the rain's hour
    /// (not_open), to a member who was not in the group when the rain started (not_eligible), a second time
    /// (already_claimed) and when every packet is taken (all_claimed). A claim is one statement (Sql/claim_packet.sql);
    /// what a wave is never changes, so each instance remembers it, and remembers a wave whose last packet is gone.
    /// </summary>
    public async Task<Result<PacketClaimed>> ClaimAsync(Actor actor, Guid waveId, Guid memberId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var facts = await waves.GetOrCreateAsync((nameof(WaveFacts), waveId), async entry =>
        {
            entry.SlidingExpiration = RememberWavesFor;
            return await db.RedEnvelopeWaves.AsNoTracking().Where(w => w.Id == waveId)
                .Join(db.RedEnvelopeRains, w => w.RainId, r => r.Id, (w, r) => new WaveFacts(
                    w.GroupId, w.Currency, w.OpensAt, w.ClosesAt, r.StartsAt, r.PayoutKind, r.CouponMinOrder, r.CouponValidDays))
                .SingleOrDefaultAsync(ct);
        });
        if (facts is null)
        {
            waves.Remove((nameof(WaveFacts), waveId));
            return Failure.NotFound("The wave");
        }

        if (!await db.CanAccessGroupAsync(actor, facts.GroupId, ct))
        {
            return Failure.Forbidden("this wave");
        }

        var now = clock.GetUtcNow();
        if (now < facts.OpensAt)
        {
            return Failure.Unprocessable("not_open", $"The wave opens at {facts.OpensAt:u}.");
        }

        if (now >= facts.ClosesAt)
        {
            return Failure.Unprocessable("not_open", "The rain's hour is over; its unclaimed packets stay unclaimed.");
        }

        if (facts.AllClaimed)
        {
            return AllClaimed(); // from memory: the rush after the last packet costs the database nothing
        }

        await facts.Gate.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (facts.AllClaimed)
                {
                    return AllClaimed();
                }

                var outcome = await TakePacketAsync(db, waveId, memberId, facts, now, ct);
                switch (outcome)
                {
                    case null:
                        return AlreadyClaimed();
                    case { Amount: { } amount, PayoutId: var payoutId }:
                        return new PacketClaimed(amount, facts.Currency, facts.PayoutKind, facts.PayoutKind == RainPayoutKind.Coupon ? payoutId : null);
                    case { Eligible: false }:
                        return Failure.Unprocessable("not_eligible", "Only members who were in the group when the rain started can claim its packets.", "memberId");
                    case { ClaimedBefore: true }:
                        return AlreadyClaimed();
                    case { AnyLeft: false }:
                        facts.AllClaimed = true;
                        return AllClaimed();
                    case { } when attempt == MaxAttempts:
                        return AllClaimed(); // every packet left was held by other claims each time: as good as gone
                }
            }
        }
        finally
        {
            facts.Gate.Release();
        }
    }

    /// <summary>Null when the member's second packet broke the unique index: they had one already.</summary>
    private static async Task<ClaimOutcome?> TakePacketAsync(CommunityFunnelDbContext db, Guid waveId, Guid memberId, WaveFacts facts, DateTimeOffset now, CancellationToken ct)
    {
        var payoutId = Guid.CreateVersion7(now);
        try
        {
            // ToList, not Single: EF would wrap the statement in a subquery, where a data-modifying WITH may not stand.
            var rows = await db.Database.SqlQueryRaw<ClaimRow>(ClaimPacketSql,
                new NpgsqlParameter("wave", waveId),
                new NpgsqlParameter("group", facts.GroupId),
                new NpgsqlParameter("member", memberId),
                new NpgsqlParameter("starts_at", facts.StartsAt),
                new NpgsqlParameter("now", now),
                new NpgsqlParameter("payout_id", payoutId),
                new NpgsqlParameter("currency", facts.Currency),
                new NpgsqlParameter("payout_kind", facts.PayoutKind.ToString()),
                new NpgsqlParameter("coupon_min_order", NpgsqlTypes.NpgsqlDbType.Numeric) { Value = (object?)facts.CouponMinOrder ?? DBNull.Value },
                new NpgsqlParameter("coupon_expires_at", now.AddDays(facts.CouponValidDays ?? RainPayout.DefaultCouponValidDays))).ToListAsync(ct);
            var row = rows.Single();
            return new ClaimOutcome(row.Amount, payoutId, row.Eligible, row.ClaimedBefore, row.AnyLeft);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return null;
        }
    }

    private sealed record ClaimRow(decimal? Amount, bool Eligible, bool ClaimedBefore, bool AnyLeft);

    private sealed record ClaimOutcome(decimal? Amount, Guid PayoutId, bool Eligible, bool ClaimedBefore, bool AnyLeft);

    /// <summary>
    /// What a claim needs to know of its wave, fixed when the rain was saved; whether its packets are all gone (they never
    /// come back); and the gate that lets a few of this instance's claims at a time into the database, so the rest of a
    /// rush waits in memory and learns from the first that finds the wave empty.
    /// </summary>
    private sealed record WaveFacts(
        Guid GroupId, string Currency, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, DateTimeOffset StartsAt, RainPayoutKind PayoutKind,
        decimal? CouponMinOrder, int? CouponValidDays)
    {
        public volatile bool AllClaimed;

        public SemaphoreSlim Gate { get; } = new(ClaimsInDatabaseAtOnce);
    }

    private static Failure AllClaimed() => Failure.Conflict("all_claimed", "Every packet of this wave has been claimed.");

    private static Failure AlreadyClaimed() => Failure.Conflict("already_claimed", "This member has a packet of this wave already: one each.", "memberId");
}
