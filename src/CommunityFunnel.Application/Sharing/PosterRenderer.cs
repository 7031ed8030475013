using CommunityFunnel.Domain.Sharing;
using SkiaSharp;

namespace CommunityFunnel.Application.Sharing;

/// <summary>What a share poster shows: the group, who invites (null on the group's own poster), the offer of the day (or null), the link in its QR code.</summary>
public sealed record PosterContent(string GroupName, string? PersonName, string? Headline, string Url, string Language);

/// <summary>
/// Draws share posters: a phone-story-sized PNG (1080×1920) people save and post, with the group's name, who invites,
/// the offer of the day and a large QR code of the link, in the group's language. Pure: the same content gives the same
/// picture. The text sits centred above the code; long names and offers wrap and end in "…".
/// </summary>
public sealed class PosterRenderer(PosterFonts fonts)
{
    public const int Width = 1080;
    public const int Height = 1920;

    private const float TextWidth = Width - 2 * 90;
    private const float CardPadding = 44;
    private const float QrArea = 640;
    private const int QrCardPadding = 16;
    private const int ScanLineBottom = Height - 110;

    private static readonly SKColor Brand = new(0x2e, 0x7d, 0x5b);
    private static readonly SKColor Ink = new(0x1d, 0x2b, 0x24);
    private static readonly PosterTextStyle Intro = new(56, Bold: false, SKColors.White);
    private static readonly PosterTextStyle Title = new(104, Bold: true, SKColors.White);
    private static readonly PosterTextStyle OfferLabel = new(42, Bold: true, Brand);
    private static readonly PosterTextStyle Offer = new(60, Bold: true, Ink);
    private static readonly PosterTextStyle ScanLine = new(48, Bold: true, SKColors.White);

    public byte[] Render(PosterContent content)
    {
        var language = content.Language;
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(Brand);
        var text = new PosterTextPainter(fonts);

        var qrTop = DrawQrCode(canvas, content.Url);
        text.DrawCentered(canvas, PosterTexts.ScanToJoin(language), ScanLine, Width / 2f, ScanLineBottom);

        var intro = text.Wrap(content.PersonName is { } person ? PosterTexts.Invites(person, language) : PosterTexts.JoinUs(language), Intro, TextWidth, 2);
        var title = text.Wrap(content.GroupName, Title, TextWidth, 2);
        var label = content.Headline is null ? null : PosterTexts.OfferOfTheDay(language);
        var offer = text.Wrap(content.Headline ?? PosterTexts.WhyJoin(language), Offer, TextWidth - 2 * CardPadding, 3);
        var cardHeight = 2 * CardPadding + (label is null ? 0 : OfferLabel.LineHeight) + offer.Count * Offer.LineHeight;
        const float gap = 56;
        var blockHeight = intro.Count * Intro.LineHeight + 16 + title.Count * Title.LineHeight + gap + cardHeight;

        var y = Math.Max(80, (qrTop - 40 - blockHeight) / 2 + 20);
        y = DrawLines(canvas, text, intro, Intro, y) + 16;
        y = DrawLines(canvas, text, title, Title, y) + gap;

        using (var card = new SKPaint { Color = SKColors.White, IsAntialias = true })
        {
            canvas.DrawRoundRect(new SKRect(90, y, Width - 90, y + cardHeight), 28, 28, card);
        }

        y += CardPadding;
        if (label is not null)
        {
            y = DrawLines(canvas, text, [label], OfferLabel, y);
        }

        DrawLines(canvas, text, offer, Offer, y);

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Centred lines from <paramref name="top"/> down; returns where the next line would start.</summary>
    private static float DrawLines(SKCanvas canvas, PosterTextPainter text, IEnumerable<string> lines, PosterTextStyle style, float top)
    {
        foreach (var line in lines)
        {
            text.DrawCentered(canvas, line, style, Width / 2f, top + style.Size);
            top += style.LineHeight;
        }

        return top;
    }

    /// <summary>The link's QR code on a white card above the scan line, whole pixels per module so its edges stay sharp; returns the card's top.</summary>
    private static float DrawQrCode(SKCanvas canvas, string url)
    {
        var modules = QrCodes.Modules(url);
        var count = modules.Count;
        var module = (int)(QrArea / count);
        var side = module * count;
        var cardSide = side + 2 * QrCardPadding;
        var cardTop = ScanLineBottom - (int)ScanLine.Size - 48 - cardSide;
        var left = (Width - cardSide) / 2;

        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawRoundRect(new SKRect(left, cardTop, left + cardSide, cardTop + cardSide), 24, 24, white);
        using var dark = new SKPaint { Color = SKColors.Black, IsAntialias = false };
        var (x0, y0) = (left + QrCardPadding, cardTop + QrCardPadding);
        for (var row = 0; row < count; row++)
        {
            for (var column = 0; column < count; column++)
            {
                if (modules[row][column])
                {
                    canvas.DrawRect(x0 + column * module, y0 + row * module, module, module, dark);
                }
            }
        }

        return cardTop;
    }
}
