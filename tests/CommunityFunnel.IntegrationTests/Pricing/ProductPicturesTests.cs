using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Pricing;

/// <summary>A product's pictures through the API: added in order, the first the cover, reordered, removed, and shown to offer pages.</summary>
public sealed class ProductPicturesTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    private async Task<Guid> AddAsync(Guid product, int width)
    {
        using var response = await Api.PostAsync($"/api/v1/products/{product}/pictures", TestPictures.Form(TestPictures.Jpeg(width, 50), "p.jpg", "image/jpeg"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    private async Task<List<(Guid Id, string Url, int Width)>> PicturesInGetAsync(Guid product)
    {
        var body = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/products/{product}", Ct);
        return [.. body.GetProperty("pictures").EnumerateArray().Select(p => (p.GetProperty("id").GetGuid(), p.GetProperty("url").GetString()!, p.GetProperty("width").GetInt32()))];
    }

    [Fact]
    public async Task Pictures_AreListedInOrder_WithAbsoluteUrls_AndCanBeReorderedAndRemoved()
    {
        var product = await _data.ProductAsync();
        var first = await AddAsync(product, 100);
        var second = await AddAsync(product, 200);
        var third = await AddAsync(product, 300);

        var listed = await PicturesInGetAsync(product);
        Assert.Equal([first, second, third], listed.Select(p => p.Id));
        Assert.All(listed, p => Assert.StartsWith(Database.App.BaseAddress + "media/", p.Url, StringComparison.Ordinal));

        using (var reorder = await Api.PutAsJsonAsync($"/api/v1/products/{product}/pictures/order", new { pictureIds = new[] { third, first, second } }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, reorder.StatusCode);
        }

        Assert.Equal([300, 100, 200], (await PicturesInGetAsync(product)).Select(p => p.Width));

        using (var removed = await Api.DeleteAsync($"/api/v1/products/{product}/pictures/{third}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }

        var showcase = await Database.Get<ProductShowcase>().ForProductAsync(product, Ct);
        Assert.NotNull(showcase);
        Assert.Equal((await PicturesInGetAsync(product)).Select(p => new Uri(p.Url).AbsolutePath), showcase.PictureUrls);
        Assert.Equal(2, showcase.PictureUrls.Count);
        Assert.Equal(showcase.PictureUrls[0], showcase.CoverUrl);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(2, await db.Images.CountAsync(Ct)); // the removed picture's image went with it
    }

    [Fact]
    public async Task AddPicture_IsRefused_PastTheLimit_AndForOperators()
    {
        var product = await _data.ProductAsync();
        for (var i = 0; i < Product.MaxPictures; i++)
        {
            await AddAsync(product, 60 + i);
        }

        using var tooMany = await Api.PostAsync($"/api/v1/products/{product}/pictures", TestPictures.Form(TestPictures.Png(10, 10), "p.png", "image/png"), Ct);
        Assert.Equal(HttpStatusCode.Conflict, tooMany.StatusCode);
        Assert.Equal("too_many_pictures", (await tooMany.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());

        var group = await _data.GroupAsync();
        var operatorActor = await _data.OperatorAsync("op@test.local", group);
        using var stream = new MemoryStream(TestPictures.Png(10, 10));
        var refused = await Database.Get<ProductPictures>().AddAsync(operatorActor, product, stream, Ct);
        Assert.Equal("forbidden", refused.Failure?.Code);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(Product.MaxPictures, await db.Images.CountAsync(Ct));
    }

    [Fact]
    public async Task Reorder_RefusesAListThatIsNotEveryPictureOnce()
    {
        var product = await _data.ProductAsync();
        var first = await AddAsync(product, 100);
        await AddAsync(product, 200);

        using var response = await Api.PutAsJsonAsync($"/api/v1/products/{product}/pictures/order", new { pictureIds = new[] { first, first } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_picture_order", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        Assert.Equal([100, 200], (await PicturesInGetAsync(product)).Select(p => p.Width));
    }

    [Fact]
    public async Task Description_KeepsItsLines_UpToItsLimit()
    {
        var product = await _data.ProductAsync();
        var service = Database.Get<ProductService>();
        var row = TestData.Succeeded(await service.GetAsync(product, Ct));
        var input = new ProductInput(row.Name, "Oolong, 50 g\nJasmine, 50 g\n\nPer 100 g: 0 kcal", row.Tier, row.Price, row.Currency, row.Kind);

        TestData.Succeeded(await service.UpdateAsync(TestData.Admin, product, input, Ct));
        var tooLong = await service.UpdateAsync(TestData.Admin, product, input with { Description = new string('x', Product.DescriptionMaxLength + 1) }, Ct);

        Assert.Equal("text_too_long", tooLong.Failure?.Code);
        Assert.Equal("Oolong, 50 g\nJasmine, 50 g\n\nPer 100 g: 0 kcal", (await Database.Get<ProductShowcase>().ForProductAsync(product, Ct))!.Description);
    }
}
