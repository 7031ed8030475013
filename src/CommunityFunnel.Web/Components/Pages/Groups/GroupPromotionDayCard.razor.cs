using System.Globalization;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Application.Promotions;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Web.Components.Common;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CommunityFunnel.Web.Components.Pages.Groups;

/// <summary>The group's member promotion day: what it is now, its next date and countdown, and the form to set, change or remove it.</summary>
public sealed partial class GroupPromotionDayCard
{
    private const string DayField = "dayOfMonth";
    private const string MultiplierField = "multiplier";
    private const string GiftField = "giftProductId";
    private static readonly string[] Fields = [DayField, MultiplierField, GiftField];

    private readonly FieldErrors _errors = new();
    private IReadOnlyList<ProductRow> _products = [];
    private PromotionDayView? _day;
    private (Guid GroupId, string Currency)? _shownFor;
    private bool _loaded;
    private bool _busy;
    private int? _dayOfMonth;
    private decimal? _multiplier = 2m;

    /// <summary><see cref="Guid.Empty"/> for no gift (a select shows a null item's text unreliably).</summary>
    private Guid _giftId;

    [Inject] private PromotionDayService Days { get; set; } = default!;
    [Inject] private ProductService Products { get; set; } = default!;
    [Inject] private CurrentActor CurrentActor { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter, EditorRequired] public GroupDetails Group { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        // The page hands down a fresh GroupDetails whenever it renders; only another group, or a new currency, reloads the form.
        if ((Group.Id, Group.Currency) == _shownFor)
        {
            return;
        }

        _shownFor = (Group.Id, Group.Currency);
        var found = await Days.GetAsync(await CurrentActor.GetAsync(), Group.Id, CancellationToken.None);
        await ShowAsync(found.Value);
        _errors.Set(found.Failure);
        _loaded = true;
    }

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            // An empty field goes to the service as out of range, so its message is the one the API gives.
            var result = await Days.SetAsync(await CurrentActor.GetAsync(), Group.Id, _dayOfMonth ?? 0, _multiplier ?? 0m,
                _giftId == Guid.Empty ? null : _giftId, CancellationToken.None);
            _errors.Set(result.Failure);
            if (result.Value is { } saved)
            {
                await ShowAsync(saved);
                Snackbar.Add(L["Promotion day saved."], Severity.Success);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RemoveAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["Remove promotion day"],
            L["Remove the promotion day? Rebates stop counting more, and the next one's countdown is called off unless it has started."],
            yesText: L["Remove"], cancelText: L["Cancel"]);
        if (confirmed != true)
        {
            return;
        }

        _busy = true;
        try
        {
            var result = await Days.RemoveAsync(await CurrentActor.GetAsync(), Group.Id, CancellationToken.None);
            _errors.Set(result.Failure);
            if (result.Succeeded)
            {
                await ShowAsync(null);
                Snackbar.Add(L["Promotion day removed."], Severity.Success);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>
    /// Shows <paramref name="day"/> and fills the form with it. The gift stays in the list even when it no longer fits the
    /// group (inactive, or the group changed currency), so the form shows it and saving says what is wrong with it.
    /// </summary>
    private async Task ShowAsync(PromotionDayView? day)
    {
        _day = day;
        (_dayOfMonth, _multiplier, _giftId) = day is null ? ((int?)null, 2m, Guid.Empty) : (day.DayOfMonth, day.Multiplier, day.GiftProductId ?? Guid.Empty);
        _products = await Products.ListAsync(includeInactive: false, Group.Currency, CancellationToken.None);
        if (day?.GiftProductId is { } gift && _products.All(p => p.Id != gift) && (await Products.GetAsync(gift, CancellationToken.None)).Value is { } current)
        {
            _products = [current, .. _products];
        }
    }

    private string DayText(int dayOfMonth) => dayOfMonth > 28
        ? L["Day {0} of every month (in shorter months: the last day)", dayOfMonth]
        : L["Day {0} of every month", dayOfMonth];

    private string? GiftName(Guid? productId) => _products.FirstOrDefault(p => p.Id == productId)?.Name;

    private string ProductText(ProductRow product) =>
        $"{product.Name} · {MoneyText.Format(product.Price, product.Currency, null, CultureInfo.CurrentCulture)}{(product.IsActive ? "" : $" ({L["Inactive"]})")}";
}
