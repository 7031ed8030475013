using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.Web.Components.Common;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CommunityFunnel.Web.Components.Pages.Admin;

/// <summary>One currency's commission plan as a form; the plan's own rules decide what may be saved, shown next to each field.</summary>
public sealed partial class CommissionPlanEditor
{
    private static readonly string[] ShownFields =
    [
        "level1Percent", "level2Percent", "holdDays", "minOrderAmount", "perOrderCap", "tiers",
        .. FunnelStages.PaidTiers.SelectMany(t => new[] { $"tiers.{t.ToString().ToLowerInvariant()}.level1Percent", $"tiers.{t.ToString().ToLowerInvariant()}.level2Percent" }),
    ];

    private readonly FieldErrors _errors = new();
    private EditablePlan _plan = new();
    private CommissionTerms? _shown;
    private bool _filled;
    private bool _busy;

    [Inject] private CommissionPlans Plans { get; set; } = default!;

    [Inject] private CurrentActor CurrentActor { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter, EditorRequired] public string Currency { get; set; } = "";

    /// <summary>The saved terms; null for a currency that has no plan yet.</summary>
    [Parameter] public CommissionTerms? Terms { get; set; }

    [Parameter] public EventCallback Saved { get; set; }

    /// <summary>Refills the form only when the saved terms changed, so the page re-rendering keeps what is being typed.</summary>
    protected override void OnParametersSet()
    {
        if (!_filled || !Equals(Terms, _shown))
        {
            (_plan, _shown, _filled) = (EditablePlan.From(Terms), Terms, true);
        }
    }

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            var result = await Plans.SaveAsync(await CurrentActor.GetAsync(), Currency, _plan.ToTerms(), CancellationToken.None);
            _errors.Set(result.Failure);
            if (result.Succeeded)
            {
                Snackbar.Add(L["{0} commission plan saved.", Currency], Severity.Success);
                await Saved.InvokeAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private sealed class EditablePlan
    {
        public decimal Level1Percent { get; set; }
        public decimal Level2Percent { get; set; }
        public int HoldDays { get; set; } = CommissionPlan.DefaultHoldDays;
        public decimal? MinOrderAmount { get; set; }
        public decimal? PerOrderCap { get; set; }
        public bool IncludeTraffic { get; set; }
        public bool IncludeFlashSales { get; set; } = true;
        public List<EditableTier> Tiers { get; init; } = [];

        public static EditablePlan From(CommissionTerms? terms)
        {
            var plan = new EditablePlan
            {
                Tiers = [.. FunnelStages.PaidTiers.Select(tier => terms?.Tiers.FirstOrDefault(t => t.Tier == tier) is { } own
                    ? new EditableTier { Tier = tier, Own = true, Level1Percent = own.Level1Percent, Level2Percent = own.Level2Percent }
                    : new EditableTier { Tier = tier, Level1Percent = terms?.Level1Percent ?? 0, Level2Percent = terms?.Level2Percent ?? 0 })],
            };
            if (terms is not null)
            {
                (plan.Level1Percent, plan.Level2Percent, plan.HoldDays, plan.MinOrderAmount, plan.PerOrderCap, plan.IncludeTraffic, plan.IncludeFlashSales) =
                    (terms.Level1Percent, terms.Level2Percent, terms.HoldDays, terms.MinOrderAmount, terms.PerOrderCap, terms.IncludeTraffic, terms.IncludeFlashSales);
            }

            return plan;
        }

        public CommissionTerms ToTerms() => new(Level1Percent, Level2Percent, HoldDays, MinOrderAmount, PerOrderCap, IncludeTraffic, IncludeFlashSales,
            [.. Tiers.Where(t => t.Own).Select(t => new TierRate(t.Tier, t.Level1Percent, t.Level2Percent))]);
    }

    private sealed class EditableTier
    {
        public FunnelStage Tier { get; init; }
        public bool Own { get; set; }
        public decimal Level1Percent { get; set; }
        public decimal Level2Percent { get; set; }
    }
}
