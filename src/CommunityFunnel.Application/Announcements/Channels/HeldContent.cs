using System.Net;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>A request body written only when its <see cref="Departure"/> comes; its length is known, so nothing is chunked.</summary>
internal sealed class HeldContent : HttpContent
{
    private readonly HttpContent _body;
    private readonly Departure _departure;

    public HeldContent(HttpContent body, Departure departure)
    {
        _body = body;
        _departure = departure;
        foreach (var header in body.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (!_departure.HasLeft)
        {
            await stream.FlushAsync(cancellationToken); // the headers go now, so the platform has read them before the body comes
        }

        // Yielding spreads a burst's bodies over the thread pool instead of writing them one by one on the timer's thread.
        await _departure.Leaves.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        await _body.CopyToAsync(stream, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
        }

        base.Dispose(disposing);
    }
}
