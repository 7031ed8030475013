using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Wallet;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Wallet;

public sealed record CreditBalance(string Currency, decimal Credit);

public sealed record CouponView(Guid Id, string Currency, decimal AmountOff, decimal? MinOrder, DateTimeOffset ExpiresAt, bool Expired);

public sealed record CreditEntryView(Guid Id, CreditEntryKind Kind, string Currency, decimal Amount, Guid SourceId, DateTimeOffset CreatedAt);

public sealed record WalletView(IReadOnlyList<CreditBalance> Balances, IReadOnlyList<CouponView> Coupons, IReadOnlyList<CreditEntryView> Entries);

/// <summary>A member's wallet: store credit per currency (the sum of the ledger's entries) and coupons, newest first.</summary>
public sealed class MemberWallets(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public const int EntriesShown = 100;

    public async Task<Result<WalletView>> GetAsync(Actor actor, Guid memberId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if ((await db.FindMemberForAsync(actor, memberId, ct)).Failure is { } failure)
        {
            return failure;
        }

        var now = clock.GetUtcNow();
        var balances = await db.CreditEntries.AsNoTracking().Where(e => e.MemberId == memberId)
            .GroupBy(e => e.Currency).OrderBy(g => g.Key).Select(g => new CreditBalance(g.Key, g.Sum(e => e.Amount))).ToListAsync(ct);
        var coupons = await db.Coupons.AsNoTracking().Where(c => c.MemberId == memberId).OrderByDescending(c => c.CreatedAt)
            .Select(c => new CouponView(c.Id, c.Currency, c.AmountOff, c.MinOrder, c.ExpiresAt, c.ExpiresAt <= now)).ToListAsync(ct);
        var entries = await db.CreditEntries.AsNoTracking().Where(e => e.MemberId == memberId).OrderByDescending(e => e.Sequence).Take(EntriesShown)
            .Select(e => new CreditEntryView(e.Id, e.Kind, e.Currency, e.Amount, e.SourceId, e.CreatedAt)).ToListAsync(ct);
        return new WalletView(balances, coupons, entries);
    }
}
