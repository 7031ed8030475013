using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Rebates;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Rebates;

/// <summary>Admins set what referrers earn, one plan per currency; a currency without a plan earns nothing.</summary>
public sealed class CommissionPlans(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<CommissionPlan>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CommissionPlans.AsNoTracking().OrderBy(p => p.Currency).ToListAsync(ct);
    }

    /// <summary>Creates or replaces the plan of <paramref name="currency"/>; the change applies to orders paid from now on.</summary>
    public async Task<Result<CommissionPlan>> SaveAsync(Actor actor, string currency, CommissionTerms terms, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("commission plans");
        }

        var errors = new List<RuleViolation>();
        if (string.IsNullOrWhiteSpace(currency))
        {
            errors.Add(new RuleViolation("unknown_currency", "Name the plan's currency.", "currency"));
        }
        else if (Currencies.Check(currency, "currency", out currency) is { } unknown)
        {
            errors.Add(unknown);
        }

        errors.AddRange(CommissionTerms.Check(terms));
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var plan = await db.CommissionPlans.SingleOrDefaultAsync(p => p.Currency == currency, ct);
        if (plan is null)
        {
            plan = new CommissionPlan(currency, terms);
            db.CommissionPlans.Add(plan);
        }
        else
        {
            plan.Change(terms);
        }

        db.Audit(clock.GetUtcNow(), AuditCategory.Pricing, actor, "commission-plan.saved", currency,
            $"Level 1 {terms.Level1Percent}%, level 2 {terms.Level2Percent}%, hold {terms.HoldDays} days");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation() || ex is DbUpdateConcurrencyException)
        {
            return Failure.Conflict("concurrent_change", "Someone else saved this plan at the same moment; reload and try again.");
        }

        return plan;
    }
}
