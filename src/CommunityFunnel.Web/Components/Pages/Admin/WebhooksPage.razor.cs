using System.Security.Cryptography;
using CommunityFunnel.Application.Webhooks;
using CommunityFunnel.Web.Components.Common;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CommunityFunnel.Web.Components.Pages.Admin;

public sealed partial class WebhooksPage
{
    private readonly FieldErrors _errors = new();
    private readonly HashSet<string> _events = [];
    private IReadOnlyList<WebhookRow> _rows = [];
    private string? _url;
    private string? _secret;
    private bool _busy;

    [Inject] private WebhookService Webhooks { get; set; } = default!;
    [Inject] private CurrentActor CurrentActor { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync() => _rows = (await Webhooks.ListAsync(await CurrentActor.GetAsync(), CancellationToken.None)).Value ?? [];

    private void Toggle(string name, bool on)
    {
        if (on)
        {
            _events.Add(name);
        }
        else
        {
            _events.Remove(name);
        }
    }

    /// <summary>32 random bytes as hex: a secret nobody has to invent.</summary>
    private void Generate() => _secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private async Task SubscribeAsync()
    {
        _busy = true;
        try
        {
            var events = WebhookEvents.All.Where(_events.Contains).ToList();
            var result = await Webhooks.CreateAsync(await CurrentActor.GetAsync(), new WebhookInput(_url, events, _secret), CancellationToken.None);
            _errors.Set(result.Failure);
            if (result.Succeeded)
            {
                (_url, _secret) = (null, null);
                _events.Clear();
                Snackbar.Add(L["Subscribed. Events from now on are posted to the address."], Severity.Success);
                await LoadAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ChangeAsync(WebhookRow row, bool enable)
    {
        var actor = await CurrentActor.GetAsync();
        var result = enable ? await Webhooks.EnableAsync(actor, row.Id, CancellationToken.None) : await Webhooks.DisableAsync(actor, row.Id, CancellationToken.None);
        Snackbar.Add(result.Failure?.Message ?? (enable ? L["Enabled: its events go out again."] : L["Disabled: no events are posted to it until it is enabled."]),
            result.Succeeded ? Severity.Success : Severity.Error);
        await LoadAsync();
    }
}
