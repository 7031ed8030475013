using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Webhooks;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CommunityFunnel.Web.Components.Pages.Admin;

public sealed partial class WebhookDeliveriesPage
{
    private readonly CancellationTokenSource _cts = new();
    private MudTable<WebhookDeliveryRow>? _table;
    private WebhookRow? _subscription;
    private Failure? _failure;
    private WebhookDeliveryStatus? _status;
    private WebhookDeliveryDetails? _open;

    [Parameter] public Guid Id { get; set; }

    [Inject] private WebhookService Webhooks { get; set; } = default!;
    [Inject] private CurrentActor CurrentActor { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        var result = await Webhooks.GetAsync(await CurrentActor.GetAsync(), Id, _cts.Token);
        (_subscription, _failure) = (result.Value, result.Failure);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _ = RefreshWhileOpenAsync();
        }
    }

    private async Task<TableData<WebhookDeliveryRow>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = (await Webhooks.DeliveryLogAsync(await CurrentActor.GetAsync(), Id, _status, state.Page, state.PageSize, ct)).Value
            ?? new Page<WebhookDeliveryRow>([], 0);
        return new TableData<WebhookDeliveryRow> { Items = page.Items, TotalItems = page.TotalCount };
    }

    private Task FilterAsync(WebhookDeliveryStatus? status)
    {
        _status = status;
        return _table!.ReloadServerData();
    }

    private async Task ToggleAsync(WebhookDeliveryRow row)
    {
        _open = _open?.Delivery.EventId == row.EventId
            ? null
            : (await Webhooks.DeliveryAsync(await CurrentActor.GetAsync(), Id, row.EventId, _cts.Token)).Value;
    }

    private async Task SendAgainAsync(WebhookDeliveryRow row)
    {
        var result = await Webhooks.RedeliverAsync(await CurrentActor.GetAsync(), Id, row.EventId, _cts.Token);
        Snackbar.Add(result.Failure?.Message ?? L["Queued: it goes out again within seconds."], result.Succeeded ? Severity.Success : Severity.Warning);
        if (_open?.Delivery.EventId == row.EventId && result.Value is { } details)
        {
            _open = details;
        }

        await _table!.ReloadServerData();
    }

    /// <summary>Deliveries change on their own schedule: refresh every two seconds while the page is open.</summary>
    private async Task RefreshWhileOpenAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        try
        {
            while (await timer.WaitForNextTickAsync(_cts.Token))
            {
                await InvokeAsync(async () =>
                {
                    await _table!.ReloadServerData();
                    if (_open is { } open)
                    {
                        _open = (await Webhooks.DeliveryAsync(await CurrentActor.GetAsync(), Id, open.Delivery.EventId, _cts.Token)).Value;
                    }

                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private string Words(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => L["Waiting"],
        WebhookDeliveryStatus.Sending => L["Sending"],
        WebhookDeliveryStatus.Delivered => L["Delivered"],
        WebhookDeliveryStatus.Failed => L["Gave up"],
        _ => status.ToString(),
    };

    private static Color ColorFor(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Delivered => Color.Success,
        WebhookDeliveryStatus.Failed => Color.Error,
        WebhookDeliveryStatus.Sending => Color.Info,
        _ => Color.Default,
    };

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
