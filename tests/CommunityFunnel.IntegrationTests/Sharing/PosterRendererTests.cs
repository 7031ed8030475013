using CommunityFunnel.Application.Sharing;
using CommunityFunnel.IntegrationTests.Infrastructure;
using SkiaSharp;

namespace CommunityFunnel.IntegrationTests.Sharing;

/// <summary>Posters as pictures: phone-story size, a QR code a phone reads, Chinese text drawn (not boxes), long text wrapped.</summary>
public sealed class PosterRendererTests : IDisposable
{
    private const string Link = "https://shop.example.test/join/AbCdEfGhIjKlMnOp?ref=Zx9Yw8Vu";
    private readonly PosterFonts _fonts = PosterFonts.Load(PosterFonts.InstalledFiles);
    private readonly PosterFonts _latinOnly = PosterFonts.Load(["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]);

    [Theory]
    [InlineData("zh-Hans", "王小明", "限时抢购：高山乌龙茶 ¥9.90")]
    [InlineData("en", "Ada Lovelace", null)]
    [InlineData("es", null, "Compra en grupo: Café de Colombia a 12,50 €")]
    public void Render_IsAPhoneStoryPng_WhoseQrCodeReadsAsTheLink(string language, string? person, string? headline)
    {
        var png = new PosterRenderer(_fonts).Render(new PosterContent("云南普洱茶友会 Tea lovers", person, headline, Link, language));

        Assert.Equal((PosterRenderer.Width, PosterRenderer.Height), QrImages.Size(png));
        Assert.True(png.Length < 300_000, $"{png.Length} bytes");
        Assert.Equal(Link, QrImages.Decode(png));
        Save($"poster-{language}", png);
    }

    [Fact]
    public async Task Render_ManyAtOnce_SharingTheFonts_GivesTheSamePictureEachTime()
    {
        var renderer = new PosterRenderer(_fonts);
        var content = new PosterContent("上海茶友会", "陳大文", "限时抢购：高山乌龙茶 ¥9.90", Link, "zh-Hant");
        var alone = renderer.Render(content);

        var together = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => renderer.Render(content))));

        Assert.All(together, png => Assert.Equal(alone, png));
    }

    [Fact]
    public void InstalledFonts_DrawChineseNames_WhereALatinOnlyFontWouldNot()
    {
        Assert.True(_fonts.DrawsChinese, "no CJK font among " + string.Join(", ", PosterFonts.InstalledFiles) + ": apt-get install fonts-wqy-zenhei");
        Assert.True(_fonts.Covers("王小明 陳大文 Ada Núñez"));
        Assert.False(_latinOnly.Covers("王小明"));

        var drawn = Cells(_fonts, "王小明");
        var boxesLeftOut = Cells(_latinOnly, "王小明");

        Assert.All(drawn, cell => Assert.True(cell.Ink > 200, $"only {cell.Ink} dark pixels in a glyph"));
        Assert.Equal(3, drawn.Select(cell => cell.Pixels).Distinct().Count()); // three different glyphs, not three identical boxes
        Assert.All(boxesLeftOut, cell => Assert.Equal(0, cell.Ink)); // a font without the characters draws nothing rather than boxes
    }

    [Fact]
    public void Wrap_BreaksBetweenWords_AndBetweenChineseCharacters_AndShortensWhatIsLeftOver()
    {
        var painter = new PosterTextPainter(_fonts);
        var style = new PosterTextStyle(54, Bold: true, SKColors.Black);

        var english = painter.Wrap("Flash sale: Organic high mountain oolong tea from Alishan at $9.90", style, 700, 3);
        var chinese = painter.Wrap("限时抢购：台湾阿里山高山有机乌龙茶，今晚八点开抢，每人限购两件", style, 700, 3);
        var tooLong = painter.Wrap(string.Concat(Enumerable.Repeat("乌龙茶 ", 40)), style, 500, 2);

        Assert.All(english.Concat(chinese), line => Assert.True(painter.Measure(line, style) <= 700, line));
        Assert.All(tooLong, line => Assert.True(painter.Measure(line, style) <= 500, line));
        Assert.All(english, line => Assert.False(line.StartsWith(' ') || line.EndsWith(' '), line));
        Assert.Equal("Flash sale: Organic high mountain oolong tea from Alishan at $9.90", string.Join(" ", english));
        Assert.Equal("限时抢购：台湾阿里山高山有机乌龙茶，今晚八点开抢，每人限购两件", string.Concat(chinese));
        Assert.All(chinese, line => Assert.DoesNotMatch("^[，：]", line)); // no line starts with closing punctuation
        Assert.Equal(2, tooLong.Count);
        Assert.EndsWith("…", tooLong[1], StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _fonts.Dispose();
        _latinOnly.Dispose();
    }

    /// <summary>Each character drawn alone at 80 px: its dark pixel count and its pixels.</summary>
    private static List<(int Ink, string Pixels)> Cells(PosterFonts fonts, string text)
    {
        var painter = new PosterTextPainter(fonts);
        var style = new PosterTextStyle(80, Bold: false, SKColors.Black);
        var cells = new List<(int, string)>();
        foreach (var character in text.Select(c => c.ToString()))
        {
            using var bitmap = new SKBitmap(120, 120);
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(SKColors.White);
                painter.DrawCentered(canvas, character, style, 60, 90);
            }

            var dark = Enumerable.Range(0, 120 * 120).Select(i => bitmap.GetPixel(i % 120, i / 120).Red < 128).ToList();
            cells.Add((dark.Count(d => d), string.Concat(dark.Select(d => d ? '1' : '0'))));
        }

        return cells;
    }

    private static void Save(string name, byte[] png)
    {
        Directory.CreateDirectory(BrowserSession.ScreenshotDirectory);
        File.WriteAllBytes(Path.Combine(BrowserSession.ScreenshotDirectory, name + ".png"), png);
    }
}
