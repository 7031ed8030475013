using System.Globalization;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Media;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Web.Components.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace CommunityFunnel.Web.Components.Pages.Announcements;

public sealed partial class NewPostPage
{
    private readonly FieldErrors _errors = new();
    private IReadOnlyList<GroupRow> _groups = [];
    private string? _text;
    private bool _later;
    private string? _sendAt;
    private string? _image;
    private IReadOnlyList<(string Name, string Url)> _productPictures = [];
    private bool _busy;

    [Inject] private AnnouncementService Announcements { get; set; } = default!;
    [Inject] private PostPictures PostPictures { get; set; } = default!;
    [Inject] private ProductService Products { get; set; } = default!;
    [Inject] private CurrentActor CurrentActor { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _productPictures = [.. (await Products.ListAsync(includeInactive: false, currency: null, CancellationToken.None))
            .SelectMany(p => p.Pictures.Select(picture => (picture.Position == 0 ? p.Name : $"{p.Name} ({picture.Position + 1})", picture.Url)))];

    private async Task UploadAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }

        _busy = true;
        try
        {
            Result<UploadedPicture> result;
            if (file.Size > ImageProcessor.MaxBytes)
            {
                result = ImageProcessor.TooLarge(PostPictures.Field); // refused without reading a byte; the service checks again
            }
            else
            {
                await using var stream = file.OpenReadStream(ImageProcessor.MaxBytes);
                result = await PostPictures.UploadAsync(await CurrentActor.GetAsync(), stream, CancellationToken.None);
            }

            _errors.Set(result.Failure);
            _image = result.Value?.Url ?? _image;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SendAsync()
    {
        _busy = true;
        try
        {
            DateTimeOffset? sendAt = null;
            if (_later && DateTime.TryParse(_sendAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) && _groups.Count > 0)
            {
                sendAt = LocalTimes.ToUtc(local, TimeZones.Find(_groups[0].TimeZoneId));
            }

            var result = await Announcements.ScheduleAsync(await CurrentActor.GetAsync(), new AnnouncementInput([.. _groups.Select(g => g.Id)], _text, sendAt, _image), CancellationToken.None);
            _errors.Set(result.Failure);
            if (result.Succeeded)
            {
                Navigation.NavigateTo($"/announcements/{result.Value}");
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
