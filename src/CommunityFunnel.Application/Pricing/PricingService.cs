using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Pricing;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Pricing;

/// <summary>The tier ladder (price bands per currency) and the Sharing entry rule. Everyone reads; admins change.</summary>
public sealed class PricingService(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<LadderView>> ListLaddersAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var bands = await db.PriceBands.AsNoTracking().ToListAsync(ct);
        return bands.GroupBy(b => b.Currency)
            .OrderBy(g => g.Key == Currencies.Default ? "" : g.Key)
            .Select(g => new LadderView(g.Key, [.. g.OrderBy(b => b.Tier)]))
            .ToList();
    }

    /// <summary>Replaces one currency's ladder, refusing bands that overlap or descend, or that would strand existing products.</summary>
    public async Task<Result<LadderView>> SaveLadderAsync(Actor actor, string? currency, IReadOnlyList<BandInput> bands, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("pricing");
        }

        var currencyError = Currencies.Check(currency, "currency", out var code);
        if (currencyError is not null)
        {
            return Failure.Invalid([currencyError]);
        }

        var (ladder, errors) = TierLadder.Create(code, bands.Select(b => new PriceBand(code, b.Tier, b.MinPrice, b.MaxPrice)));
        if (ladder is null)
        {
            return Failure.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One change of a currency's ladder at a time, on every instance; an advisory lock because a new currency has
        // no rows to lock yet. Held to the commit, so the old ladder is removed and the new one added as one step.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"price_bands:" + code}, 0))", ct);
        var stranded = (await db.Products.AsNoTracking().Where(p => p.Currency == code && p.Kind == ProductKind.Profit).ToListAsync(ct))
            .Where(p => !ladder.BandFor(p.Tier).Contains(p.Price))
            .Select(p => $"{p.Name} ({p.Tier}, {p.Price:0.##})")
            .ToList();
        if (stranded.Count > 0)
        {
            return Failure.Conflict("products_outside_band",
                $"These products would fall outside their tier's new band: {string.Join(", ", stranded.Take(10))}. Reprice them first.");
        }

        var old = await db.PriceBands.Where(b => b.Currency == code).ToListAsync(ct);
        db.PriceBands.RemoveRange(old);
        await db.SaveChangesAsync(ct); // bands are keyed by (currency, tier): delete before re-adding, in the same transaction
        db.PriceBands.AddRange(ladder.Bands);
        db.Audit(clock.GetUtcNow(), AuditCategory.Pricing, actor, "ladder.saved", code,
            $"{Describe(old)} -> {Describe(ladder.Bands)}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new LadderView(code, ladder.Bands);
    }

    public async Task<TierLadder?> FindLadderAsync(string currency, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LoadLadderAsync(db, currency, ct);
    }

    public async Task<SharingRule> GetSharingRuleAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SharingRules.AsNoTracking().SingleOrDefaultAsync(ct) ?? SharingRule.Default;
    }

    public async Task<Result<SharingRule>> SaveSharingRuleAsync(Actor actor, SharingRuleTerms terms, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("pricing");
        }

        if (terms.Check() is { Count: > 0 } errors)
        {
            return Failure.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await db.SharingRules.SingleOrDefaultAsync(ct);
        if (rule is null)
        {
            rule = new SharingRule(terms);
            db.SharingRules.Add(rule);
        }
        else
        {
            rule.Change(terms);
        }

        db.Audit(clock.GetUtcNow(), AuditCategory.Pricing, actor, "sharing-rule.saved", "Sharing entry rule", rule.Mode switch
        {
            SharingEntryMode.ReferredPayers => $"{rule.ReferredPayersRequired} referred members who paid",
            SharingEntryMode.RebatesEarned => $"{rule.RebatesEarnedRequired} {rule.RebatesCurrency} of rebates earned in {SharingRule.RebatesWindow.TotalDays:0} days",
            _ => "chosen by an operator",
        });
        await db.SaveChangesAsync(ct);
        return rule;
    }

    internal static async Task<TierLadder?> LoadLadderAsync(CommunityFunnelDbContext db, string currency, CancellationToken ct)
    {
        var bands = await db.PriceBands.AsNoTracking().Where(b => b.Currency == currency).ToListAsync(ct);
        return bands.Count == 0 ? null : TierLadder.Create(currency, bands).Ladder;
    }

    private static string Describe(IEnumerable<PriceBand> bands)
    {
        var text = string.Join("; ", bands.OrderBy(b => b.Tier).Select(b => $"{b.Tier} {b.Describe()}"));
        return text.Length == 0 ? "(none)" : text;
    }
}
