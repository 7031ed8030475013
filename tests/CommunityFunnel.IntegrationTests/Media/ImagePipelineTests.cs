using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Media;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace CommunityFunnel.IntegrationTests.Media;

/// <summary>
/// The one upload pipeline (here through a product's pictures): what is not a picture or is too large is refused with a
/// specific code and stores nothing; what is stored is decoded, upright, shrunk and re-encoded, and served publicly.
/// </summary>
public sealed class ImagePipelineTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    private async Task<HttpResponseMessage> UploadAsync(Guid product, byte[] content, string fileName, string contentType) =>
        await Api.PostAsync($"/api/v1/products/{product}/pictures", TestPictures.Form(content, fileName, contentType), Ct);

    private async Task<byte[]> UploadAndFetchAsync(byte[] content, string fileName, string contentType)
    {
        var product = await _data.ProductAsync();
        using var response = await UploadAsync(product, content, fileName, contentType);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var url = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("url").GetString()!;
        return await new HttpClient().GetByteArrayAsync(url, Ct);
    }

    [Fact]
    public async Task Upload_RefusesText_ThatClaimsToBeAJpeg_AndStoresNothing()
    {
        var product = await _data.ProductAsync();

        using var response = await UploadAsync(product, "not a picture, just words"u8.ToArray(), "photo.jpg", "image/jpeg");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "image_invalid");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Upload_RefusesAGif_AFormatItDoesNotTake()
    {
        var product = await _data.ProductAsync();
        var gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="); // a 1x1 GIF

        using var response = await UploadAsync(product, gif, "pixel.png", "image/png");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "image_invalid");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Upload_RefusesAFileOverFiveMegabytes_AndStoresNothing()
    {
        var product = await _data.ProductAsync();
        var png = TestPictures.Png(64, 64);
        var tooLarge = new byte[ImageProcessor.MaxBytes + 1];
        png.CopyTo(tooLarge, 0); // a real picture's bytes first: the size alone refuses it

        using var response = await UploadAsync(product, tooLarge, "big.png", "image/png");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "image_too_large");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Upload_TakesPngBytes_NamedAsAJpeg_AndServesThemAsPng()
    {
        var served = await UploadAndFetchAsync(TestPictures.Png(120, 80), "renamed.jpg", "image/jpeg");

        Assert.Equal((120, 80, SKEncodedImageFormat.Png), TestPictures.Inspect(served));
    }

    [Fact]
    public async Task Upload_StripsExifAndGps_AndTurnsThePictureUpright()
    {
        var original = TestPictures.JpegWithExif(300, 200);
        Assert.True(TestPictures.HasExifOrGps(original)); // the check below can fail

        var served = await UploadAndFetchAsync(original, "holiday.jpg", "image/jpeg");

        Assert.False(TestPictures.HasExifOrGps(served));
        Assert.Equal((200, 300, SKEncodedImageFormat.Jpeg), TestPictures.Inspect(served)); // orientation 6 applied, then dropped
    }

    [Fact]
    public async Task Upload_ShrinksALargeWebp_ToTheLongestSideLimit_AsJpeg()
    {
        var served = await UploadAndFetchAsync(TestPictures.Webp(3200, 1600), "wide.webp", "image/webp");

        Assert.Equal((ImageProcessor.MaxSide, ImageProcessor.MaxSide / 2, SKEncodedImageFormat.Jpeg), TestPictures.Inspect(served));
    }

    [Fact]
    public async Task Media_IsPublic_WithItsContentType_NoSniff_AndALongCache()
    {
        var product = await _data.ProductAsync();
        using var upload = await UploadAsync(product, TestPictures.Jpeg(40, 40), "a.jpg", "image/jpeg");
        var url = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("url").GetString()!;
        using var anonymous = new HttpClient();

        using var response = await anonymous.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl is { Public: true, MaxAge.TotalDays: >= 365 }, response.Headers.CacheControl?.ToString());
        Assert.Matches("^/media/[A-Za-z0-9_-]{22}\\.jpg$", new Uri(url).AbsolutePath); // 128 random bits, not a sequence

        using var again = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { IfNoneMatch = { response.Headers.ETag! } } };
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(again, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url.Replace(".jpg", ".png", StringComparison.Ordinal), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(new Uri(url), "/media/AAAAAAAAAAAAAAAAAAAAAA.jpg"), Ct)).StatusCode);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    private async Task AssertNothingStoredAsync()
    {
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(0, await db.Images.CountAsync(Ct));
        Assert.Equal(0, await db.ProductPictures.CountAsync(Ct));
    }
}
