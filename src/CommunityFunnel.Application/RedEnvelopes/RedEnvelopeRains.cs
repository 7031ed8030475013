using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.RedEnvelopes;
using CommunityFunnel.Domain.Wallet;
using Microsoft.EntityFrameworkCore;
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
/// transaction as the claim.
/// </summary>
public sealed class RedEnvelopeRains(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    private static readonly string ClaimPacketSql = EmbeddedSql.Read(typeof(RedEnvelopeRains), "claim_packet.sql");

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

        foreach (var group in groups)
        {
            if (!await db.CanAccessGroupAsync(actor, group.Id, ct))
            {
                return Failure.Forbidden("this group");
            }
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
    /// (already_claimed) and when every packet is taken (all_claimed).
    /// </summary>
    public async Task<Result<PacketClaimed>> ClaimAsync(Actor actor, Guid waveId, Guid memberId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindInGroupForAsync(actor, db.RedEnvelopeWaves.AsNoTracking().Where(w => w.Id == waveId)
            .Join(db.RedEnvelopeRains, w => w.RainId, r => r.Id, (w, r) => new
            {
                w.Id, w.GroupId, w.Currency, w.OpensAt, w.ClosesAt, r.StartsAt, r.PayoutKind, r.CouponMinOrder, r.CouponValidDays,
                Eligible = db.GroupMemberships.Any(m => m.GroupId == w.GroupId && m.MemberId == memberId && m.JoinedAt <= r.StartsAt),
                AlreadyClaimed = w.Packets.Any(p => p.ClaimedBy == memberId),
            }), w => w.GroupId, "wave", ct);
        if (found.Value is not { } wave)
        {
            return found.Failure!;
        }

        var now = clock.GetUtcNow();
        if (now < wave.OpensAt)
        {
            return Failure.Unprocessable("not_open", $"The wave opens at {wave.OpensAt:u}.");
        }

        if (now >= wave.ClosesAt)
        {
            return Failure.Unprocessable("not_open", "The rain's hour is over; its unclaimed packets stay unclaimed.");
        }

        if (!wave.Eligible)
        {
            return Failure.Unprocessable("not_eligible", "Only members who were in the group when the rain started can claim its packets.", "memberId");
        }

        if (wave.AlreadyClaimed)
        {
            return AlreadyClaimed();
        }

        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var amount = await db.Database.SqlQueryRaw<decimal>(ClaimPacketSql,
                new NpgsqlParameter("wave", waveId), new NpgsqlParameter("member", memberId), new NpgsqlParameter("now", now)).ToListAsync(ct);
            if (amount.Count == 0)
            {
                return Failure.Conflict("all_claimed", "Every packet of this wave has been claimed.");
            }

            Guid? couponId = null;
            if (wave.PayoutKind == RainPayoutKind.Coupon)
            {
                var coupon = Coupon.FromRain(memberId, wave.Currency, amount[0], wave.CouponMinOrder, wave.CouponValidDays ?? RainPayout.DefaultCouponValidDays, waveId, now);
                db.Coupons.Add(coupon);
                couponId = coupon.Id;
            }
            else
            {
                db.CreditEntries.Add(CreditEntry.FromRain(memberId, wave.Currency, amount[0], waveId, now));
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new PacketClaimed(amount[0], wave.Currency, wave.PayoutKind, couponId);
        }
        catch (Exception ex) when (ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } || (ex is DbUpdateException update && update.IsUniqueViolation()))
        {
            return AlreadyClaimed();
        }
    }

    private static Failure AlreadyClaimed() => Failure.Conflict("already_claimed", "This member has a packet of this wave already: one each.", "memberId");
}
