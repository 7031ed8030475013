using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Media;
using CommunityFunnel.Application.Payments;
using CommunityFunnel.Web.Components.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace CommunityFunnel.Web.Components.Pages.Groups;

public sealed partial class GroupPaymentCard
{
    private readonly FieldErrors _errors = new();
    private PaymentInstructionsView? _view;
    private string? _text;
    private string? _qrError;
    private bool _busy;

    [Inject] private PaymentInstructions Payments { get; set; } = default!;
    [Inject] private CurrentActor CurrentActor { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter, EditorRequired] public Guid GroupId { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        _view = (await Payments.GetAsync(await CurrentActor.GetAsync(), GroupId, CancellationToken.None)).Value;
        _text = _view?.Text;
    }

    private async Task SaveTextAsync()
    {
        _busy = true;
        try
        {
            var result = await Payments.SetTextAsync(await CurrentActor.GetAsync(), GroupId, _text, CancellationToken.None);
            _errors.Set(result.Failure);
            if (result.Value is { } view)
            {
                _view = view;
                Snackbar.Add(L["Payment instructions saved."], Severity.Success);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task UploadQrAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }

        _busy = true;
        try
        {
            Result<PaymentInstructionsView> result;
            if (file.Size > ImageProcessor.MaxBytes)
            {
                result = ImageProcessor.TooLarge(PaymentInstructions.QrField); // refused without reading a byte; the service checks again
            }
            else
            {
                await using var stream = file.OpenReadStream(ImageProcessor.MaxBytes);
                result = await Payments.SetQrAsync(await CurrentActor.GetAsync(), GroupId, stream, CancellationToken.None);
            }

            (_qrError, _view) = (result.Failure?.Message, result.Value ?? _view);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RemoveQrAsync()
    {
        _busy = true;
        try
        {
            var result = await Payments.RemoveQrAsync(await CurrentActor.GetAsync(), GroupId, CancellationToken.None);
            (_qrError, _view) = (result.Failure?.Message, result.Value ?? _view);
        }
        finally
        {
            _busy = false;
        }
    }
}
