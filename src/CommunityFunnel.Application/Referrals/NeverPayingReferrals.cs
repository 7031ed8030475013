using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Referrals;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommunityFunnel.Application.Referrals;

/// <summary>
/// The periodic fraud check: a referrer most of whose referred members never pay (accounts made to farm gift packs or
/// to look like a partner) gets every accepted referral flagged, so what they earn waits for an operator's review.
/// </summary>
public sealed class NeverPayingReferrals(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>How long a referred member has to make a first payment before counting as one who never pays.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromDays(30);

    /// <summary>Fewer old referrals than this say nothing about a referrer.</summary>
    public const int MinimumReferrals = 5;

    public const decimal NeverPaidShare = 0.8m;

    private static readonly string SuspectsSql = EmbeddedSql.Read(typeof(NeverPayingReferrals), "referrers_whose_referrals_never_pay.sql");

    /// <summary>Flags the accepted referrals of every such referrer; returns how many it flagged.</summary>
    public async Task<int> FlagAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var referrerIds = await db.Database.SqlQueryRaw<Guid>(SuspectsSql,
            new NpgsqlParameter("grace_ends", now - GracePeriod),
            new NpgsqlParameter("minimum", MinimumReferrals),
            new NpgsqlParameter("share", NeverPaidShare)).ToListAsync(ct);
        if (referrerIds.Count == 0)
        {
            return 0;
        }

        var referrals = await db.Referrals.Where(r => referrerIds.Contains(r.ReferrerId) && r.Status == ReferralStatus.Accepted).ToListAsync(ct);
        var flagged = referrals.Count(r => r.Flag(ReferralReasons.ReferredNeverPay));
        var names = await db.Members.Where(m => referrerIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.DisplayName, ct);
        foreach (var referrerId in referrerIds)
        {
            db.Audit(now, AuditCategory.Pricing, Actor.System, "referral.flagged", names[referrerId],
                $"{referrals.Count(r => r.ReferrerId == referrerId)} referrals sent to review: most referred members never paid");
        }

        try
        {
            await db.SaveChangesAsync(ct);
            return flagged;
        }
        catch (DbUpdateConcurrencyException)
        {
            return 0; // another instance flagged them at the same moment; the next run sees what is left
        }
    }
}
