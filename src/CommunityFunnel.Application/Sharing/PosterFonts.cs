using System.Text;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace CommunityFunnel.Application.Sharing;

/// <summary>
/// The typefaces posters draw text with, loaded from font files through Skia's font manager (the Skia build the app
/// ships has no fontconfig, so it finds no system fonts by itself). Text is split into runs, each drawn with the first
/// typeface that has all its characters: a CJK font first, so Chinese names render; others after it for what it lacks.
/// A character no typeface has is left out rather than drawn as an empty box.
/// </summary>
public sealed class PosterFonts : IDisposable
{
    /// <summary>Where Debian and Ubuntu put the fonts the app's images and CI install (fonts-wqy-zenhei) and the common alternatives.</summary>
    public static readonly IReadOnlyList<string> InstalledFiles =
    [
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ];

    /// <summary>What a CJK-capable typeface must draw: common characters of Simplified and Traditional Chinese names.</summary>
    private const string ChineseProbe = "王李张陳黃小明華";

    private readonly List<SKTypeface> _typefaces;

    /// <summary>One font per typeface, kept to ask which characters it has.</summary>
    private readonly List<SKFont> _probes;

    /// <summary>
    /// One HarfBuzz shaper per typeface, made once: making one reads the whole font file (a CJK one is many megabytes).
    /// Shaping does not change a shaper, so posters drawn at once share them.
    /// </summary>
    private readonly Dictionary<SKTypeface, SKShaper> _shapers;

    private PosterFonts(List<SKTypeface> typefaces, IReadOnlyList<string> files)
    {
        _typefaces = typefaces;
        _probes = [.. typefaces.Select(t => new SKFont(t))];
        _shapers = typefaces.ToDictionary(t => t, t => new SKShaper(t));
        Files = files;
    }

    /// <summary>The font files that loaded, in the order they are tried.</summary>
    public IReadOnlyList<string> Files { get; }

    public bool IsEmpty => _typefaces.Count == 0;

    /// <summary>Whether Chinese text renders: some typeface has the glyphs.</summary>
    public bool DrawsChinese => Covers(ChineseProbe);

    /// <summary>The typefaces of <paramref name="files"/> that exist and load, in the given order; missing files are skipped.</summary>
    public static PosterFonts Load(IEnumerable<string> files)
    {
        var loaded = new List<SKTypeface>();
        var names = new List<string>();
        foreach (var file in files.Distinct().Where(File.Exists))
        {
            if (SKFontManager.Default.CreateTypeface(file, 0) is { } typeface)
            {
                loaded.Add(typeface);
                names.Add(file);
            }
        }

        return new PosterFonts(loaded, names);
    }

    /// <summary>Whether every character of <paramref name="text"/> (spaces aside) has a glyph in one of the typefaces.</summary>
    public bool Covers(string text) => text.EnumerateRunes().All(r => Rune.IsWhiteSpace(r) || TypefaceFor(r) is not null);

    /// <summary>
    /// <paramref name="text"/> cut into runs of one typeface each, for shaping; whitespace joins the run it is in, and
    /// characters no typeface has are dropped.
    /// </summary>
    internal IEnumerable<(SKTypeface Typeface, string Text)> Runs(string text)
    {
        SKTypeface? current = null;
        var run = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            var typeface = Rune.IsWhiteSpace(rune) ? current ?? _typefaces.FirstOrDefault() : TypefaceFor(rune);
            if (typeface is null)
            {
                continue;
            }

            if (current is not null && typeface != current && run.Length > 0)
            {
                yield return (current, run.ToString());
                run.Clear();
            }

            current = typeface;
            run.Append(rune.ToString());
        }

        if (current is not null && run.Length > 0)
        {
            yield return (current, run.ToString());
        }
    }

    internal SKShaper ShaperFor(SKTypeface typeface) => _shapers[typeface];

    public void Dispose()
    {
        foreach (var disposable in _shapers.Values.Cast<IDisposable>().Concat(_probes).Concat(_typefaces))
        {
            disposable.Dispose();
        }
    }

    private SKTypeface? TypefaceFor(Rune rune)
    {
        var text = rune.ToString();
        var index = _probes.FindIndex(p => p.ContainsGlyphs(text));
        return index < 0 ? null : _typefaces[index];
    }
}
