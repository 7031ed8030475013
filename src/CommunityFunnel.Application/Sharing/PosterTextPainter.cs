using System.Globalization;
using System.Text;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace CommunityFunnel.Application.Sharing;

/// <summary>How a piece of poster text looks: its size in pixels, weight and colour.</summary>
internal sealed record PosterTextStyle(float Size, bool Bold, SKColor Color)
{
    public float LineHeight => Size * 1.3f;
}

/// <summary>
/// Poster text shaped by HarfBuzz, a run per typeface (<see cref="PosterFonts.Runs"/>), wrapped to a width: between
/// words, and between any two characters of Chinese, Japanese or Korean text, never before closing punctuation.
/// </summary>
internal sealed class PosterTextPainter(PosterFonts fonts)
{
    private const string Ellipsis = "…";

    /// <summary>Punctuation a line must not start with (Chinese and Japanese line-breaking rules, and the Latin ones).</summary>
    private const string NoLineStart = "，。、：；！？）」』】》〉,.:;!?)]}%…";

    public float Measure(string text, PosterTextStyle style)
    {
        var width = 0f;
        foreach (var (typeface, run) in fonts.Runs(text))
        {
            using var font = Font(typeface, style);
            width += fonts.ShaperFor(typeface).Shape(run, font).Width;
        }

        return width;
    }

    /// <summary>One line centred on <paramref name="centerX"/>, its baseline at <paramref name="baseline"/>.</summary>
    public void DrawCentered(SKCanvas canvas, string text, PosterTextStyle style, float centerX, float baseline)
    {
        using var paint = new SKPaint { Color = style.Color, IsAntialias = true };
        var x = centerX - Measure(text, style) / 2;
        foreach (var (typeface, run) in fonts.Runs(text))
        {
            using var font = Font(typeface, style);
            var shaper = fonts.ShaperFor(typeface);
            canvas.DrawShapedText(shaper, run, x, baseline, SKTextAlign.Left, font, paint);
            x += shaper.Shape(run, font).Width;
        }
    }

    /// <summary>
    /// <paramref name="text"/> in lines no wider than <paramref name="maxWidth"/>, at most <paramref name="maxLines"/>
    /// of them; the last ends in "…" when the text is longer.
    /// </summary>
    public IReadOnlyList<string> Wrap(string text, PosterTextStyle style, float maxWidth, int maxLines)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var piece in Pieces(text.Trim()).SelectMany(p => Fitting(p, style, maxWidth)))
        {
            var candidate = line + piece;
            if (line.Length == 0 || Measure(candidate.TrimEnd(), style) <= maxWidth)
            {
                line = candidate;
                continue;
            }

            lines.Add(line.TrimEnd());
            line = piece.TrimStart();
        }

        if (line.Trim().Length > 0)
        {
            lines.Add(line.TrimEnd());
        }

        if (lines.Count <= maxLines)
        {
            return lines;
        }

        var kept = lines.Take(maxLines).ToList();
        kept[^1] = Shortened(kept[^1], style, maxWidth);
        return kept;
    }

    /// <summary>The text cut where a line may break: after spaces, and around each East Asian character.</summary>
    private static IEnumerable<string> Pieces(string text)
    {
        var piece = new StringBuilder();
        string? previous = null;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (previous is not null && piece.Length > 0 && (IsEastAsian(previous) || IsEastAsian(element)) && !NoLineStart.Contains(element, StringComparison.Ordinal))
            {
                yield return piece.ToString();
                piece.Clear();
            }

            piece.Append(element);
            previous = element;
            if (IsBreakingSpace(element))
            {
                yield return piece.ToString();
                piece.Clear();
            }
        }

        if (piece.Length > 0)
        {
            yield return piece.ToString();
        }
    }

    /// <summary>Spaces a line may break after: not the no-break ones money is written with ("12,50 €", "1 000").</summary>
    private static bool IsBreakingSpace(string element) => string.IsNullOrWhiteSpace(element) && element is not ("\u00A0" or "\u202F" or "\u2007");

    /// <summary>A piece too wide for any line (a very long word or link) cut into pieces that fit.</summary>
    private IEnumerable<string> Fitting(string piece, PosterTextStyle style, float maxWidth)
    {
        if (Measure(piece.TrimEnd(), style) <= maxWidth)
        {
            yield return piece;
            yield break;
        }

        var part = "";
        var elements = StringInfo.GetTextElementEnumerator(piece);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (part.Length > 0 && Measure(part + element, style) > maxWidth)
            {
                yield return part;
                part = "";
            }

            part += element;
        }

        if (part.Length > 0)
        {
            yield return part;
        }
    }

    private string Shortened(string line, PosterTextStyle style, float maxWidth)
    {
        var elements = StringInfo.ParseCombiningCharacters(line);
        for (var count = elements.Length; count > 0; count--)
        {
            var candidate = (count == elements.Length ? line : line[..elements[count]]).TrimEnd() + Ellipsis;
            if (Measure(candidate, style) <= maxWidth)
            {
                return candidate;
            }
        }

        return Ellipsis;
    }

    /// <summary>Han ideographs and CJK punctuation, kana, Hangul and full-width forms: text that breaks between characters.</summary>
    private static bool IsEastAsian(string element) => Rune.GetRuneAt(element, 0).Value switch
    {
        >= 0x1100 and <= 0x11FF => true,
        >= 0x2E80 and <= 0x9FFF => true,
        >= 0xAC00 and <= 0xD7AF => true,
        >= 0xF900 and <= 0xFAFF => true,
        >= 0xFF00 and <= 0xFFEF => true,
        >= 0x20000 and <= 0x3134F => true,
        _ => false,
    };

    private static SKFont Font(SKTypeface typeface, PosterTextStyle style) =>
        new(typeface, style.Size) { Embolden = style.Bold, Subpixel = true, Edging = SKFontEdging.Antialias };
}
