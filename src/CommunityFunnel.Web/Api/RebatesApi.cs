using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Rebates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

public sealed record TierRateInput(decimal Level1Percent, decimal Level2Percent);

/// <param name="Tiers">Overrides by tier name (Low, Mid, High).</param>
public sealed record CommissionPlanRequest(
    decimal Level1Percent,
    decimal Level2Percent,
    int? HoldDays,
    decimal? MinOrderAmount,
    decimal? PerOrderCap,
    Dictionary<string, TierRateInput>? Tiers,
    bool? IncludeTraffic,
    bool? IncludeFlashSales);

public sealed record CommissionPlanResponse(
    string Currency, decimal Level1Percent, decimal Level2Percent, int HoldDays, decimal? MinOrderAmount, decimal? PerOrderCap,
    IReadOnlyDictionary<string, TierRateInput> Tiers, bool IncludeTraffic, bool IncludeFlashSales)
{
    public static CommissionPlanResponse From(CommissionPlan plan) => new(plan.Currency, plan.Level1Percent, plan.Level2Percent, plan.HoldDays,
        plan.MinOrderAmount, plan.PerOrderCap, plan.Tiers.ToDictionary(t => t.Tier.ToString(), t => new TierRateInput(t.Level1Percent, t.Level2Percent)),
        plan.IncludeTraffic, plan.IncludeFlashSales);
}

internal static class RebatesApi
{
    public static void MapRebatesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/commission-plans", async Task<Ok<IEnumerable<CommissionPlanResponse>>> (CommissionPlans plans, CancellationToken ct) =>
                TypedResults.Ok((await plans.ListAsync(ct)).Select(CommissionPlanResponse.From)))
            .WithTags("Rebates");

        api.MapPut("/commission-plans/{currency}", async Task<Results<Ok<CommissionPlanResponse>, ProblemHttpResult>> (
                string currency, CommissionPlanRequest request, HttpContext http, CommissionPlans plans, CancellationToken ct) =>
            {
                var tiers = new List<TierRate>();
                foreach (var (name, rate) in request.Tiers ?? [])
                {
                    if (!EnumInput.TryParse<FunnelStage>(name, out var tier) || !tier.IsPaidTier())
                    {
                        return ProblemResults.Invalid("invalid_tier", $"'{name}' is not a paid tier: use Low, Mid or High.", "tiers");
                    }

                    tiers.Add(new TierRate(tier, rate.Level1Percent, rate.Level2Percent));
                }

                var terms = new CommissionTerms(request.Level1Percent, request.Level2Percent, request.HoldDays ?? CommissionPlan.DefaultHoldDays,
                    request.MinOrderAmount, request.PerOrderCap, request.IncludeTraffic ?? false, request.IncludeFlashSales ?? true, tiers);
                return (await plans.SaveAsync(http.Actor(), currency, terms, ct)).Respond(plan => TypedResults.Ok(CommissionPlanResponse.From(plan)));
            })
            .WithTags("Rebates");

        api.MapGet("/members/{id:guid}/rebates", async Task<Results<Ok<RebateStatement>, ProblemHttpResult>> (
                Guid id, string? currency, HttpContext http, RebateAccounts accounts, CancellationToken ct) =>
            (await accounts.StatementAsync(http.Actor(), id, currency, ct)).Respond(TypedResults.Ok))
            .WithTags("Rebates");
    }
}
