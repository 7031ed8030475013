using System.Globalization;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Payouts;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Payouts;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CommunityFunnel.Web.Components.Pages.Admin;

/// <summary>One payout batch: its partners with amounts and references, holding back, the CSV, and marking it paid.</summary>
public sealed partial class PayoutPage
{
    private PayoutDetails? _payout;
    private Failure? _failure;
    private bool _busy;

    [Inject] private PayoutService Payouts { get; set; } = default!;

    [Inject] private CurrentActor CurrentActor { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter] public Guid PayoutId { get; set; }

    private IEnumerable<PayoutItemView> Included => _payout?.Items.Where(i => i.Status == PayoutItemStatus.Included) ?? [];

    protected override async Task OnParametersSetAsync() =>
        Show(await Payouts.GetAsync(await CurrentActor.GetAsync(), PayoutId, CancellationToken.None));

    private string Money(decimal amount) => MoneyText.Format(amount, _payout!.Currency, null, CultureInfo.CurrentCulture);

    /// <summary>Red below zero; orange while paying the item's amount would pay more than the partner now has.</summary>
    private Color AvailableColor(PayoutItemView item) =>
        item.AvailableNow < 0 ? Color.Error
        : _payout!.Status == PayoutStatus.Draft && item.Status == PayoutItemStatus.Included && item.AvailableNow < item.Amount ? Color.Warning
        : Color.Default;

    private async Task MarkPaidAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["Mark paid"],
            L["Mark this payout paid: {0} to {1} partners? Do it once the transfers are made; it cannot be undone.", Money(_payout!.Total), Included.Count()],
            yesText: L["Mark paid"], cancelText: L["Cancel"]);
        if (confirmed == true && await ChangeAsync(Payouts.MarkPaidAsync))
        {
            Snackbar.Add(L["The payout is marked paid."], Severity.Success);
        }
    }

    private async Task CancelAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["Cancel payout"],
            L["Cancel this payout? Nobody is paid, and its partners may be in the next payout."], yesText: L["Cancel payout"], cancelText: L["Keep it"]);
        if (confirmed == true)
        {
            await ChangeAsync(Payouts.CancelAsync);
        }
    }

    private async Task HoldBackAsync(PayoutItemView item)
    {
        var parameters = new DialogParameters<HoldBackDialog>
        {
            { d => d.PayoutId, PayoutId },
            { d => d.MemberId, item.MemberId },
            { d => d.Name, item.Name },
        };
        var dialog = await Dialogs.ShowAsync<HoldBackDialog>(L["Hold back"], parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: PayoutDetails changed })
        {
            _payout = changed;
        }
    }

    private async Task IncludeAsync(PayoutItemView item) =>
        await ChangeAsync((actor, id, ct) => Payouts.IncludeAsync(actor, id, item.MemberId, ct));

    private async Task<bool> ChangeAsync(Func<Application.Access.Actor, Guid, CancellationToken, Task<Result<PayoutDetails>>> change)
    {
        _busy = true;
        try
        {
            var result = await change(await CurrentActor.GetAsync(), PayoutId, CancellationToken.None);
            if (result.Failure is { } failure)
            {
                Snackbar.Add(failure.Message, Severity.Warning);
            }

            Show(result.Succeeded ? result : await Payouts.GetAsync(await CurrentActor.GetAsync(), PayoutId, CancellationToken.None));
            return result.Succeeded;
        }
        finally
        {
            _busy = false;
        }
    }

    private void Show(Result<PayoutDetails> result) => (_payout, _failure) = (result.Value, result.Failure);
}
