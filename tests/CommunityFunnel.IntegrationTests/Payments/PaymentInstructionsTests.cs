using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.Payments;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Payments;

/// <summary>A group's payment instructions: text through PATCH, a collection QR code uploaded and removed, read for member pages.</summary>
public sealed class PaymentInstructionsTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string Instructions = "Transfer to Alipay 138 0000 0000 (Wang Li)\nand write your order reference.";
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    private PaymentInstructions Payments => Database.Get<PaymentInstructions>();

    private async Task<HttpResponseMessage> UploadQrAsync(Guid group, byte[] content, string fileName = "qr.png", string contentType = "image/png") =>
        await Api.PostAsync($"/api/v1/groups/{group}/payment-qr", TestPictures.Form(content, fileName, contentType), Ct);

    [Fact]
    public async Task Instructions_SetThroughPatch_AndQrUpload_AreShownToMemberPages()
    {
        var group = await _data.GroupAsync();
        Assert.Null(await Payments.ForGroupAsync(group, Ct)); // nothing set: nothing to show

        using (var patch = await Api.PatchAsJsonAsync($"/api/v1/groups/{group}", new { paymentInstructions = Instructions }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
            Assert.Equal(Instructions, (await patch.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("paymentInstructions").GetString());
        }

        using var upload = await UploadQrAsync(group, TestPictures.Png(240, 240));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var qrUrl = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("qrUrl").GetString()!;

        var view = await Payments.ForGroupAsync(group, Ct);
        Assert.NotNull(view);
        Assert.Equal(Instructions, view.Text);
        Assert.Equal(new Uri(qrUrl).AbsolutePath, view.QrUrl);
        var fetched = await new HttpClient().GetByteArrayAsync(qrUrl, Ct);
        Assert.Equal((240, 240), (TestPictures.Inspect(fetched).Width, TestPictures.Inspect(fetched).Height));
        var details = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{group}", Ct);
        Assert.Equal(qrUrl, details.GetProperty("paymentQrUrl").GetString());

        using (var removed = await Api.DeleteAsync($"/api/v1/groups/{group}/payment-qr", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }

        Assert.Equal((Instructions, (string?)null), ((await Payments.ForGroupAsync(group, Ct))!.Text, (await Payments.ForGroupAsync(group, Ct))!.QrUrl));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(0, await db.Images.CountAsync(Ct));
    }

    [Fact]
    public async Task BadQrUploads_AreRefused_AndLeaveTheCurrentQrInPlace()
    {
        var group = await _data.GroupAsync();
        using (var first = await UploadQrAsync(group, TestPictures.Png(100, 100)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var before = await Payments.ForGroupAsync(group, Ct);

        using var text = await UploadQrAsync(group, "pay me"u8.ToArray(), "qr.jpg", "image/jpeg");
        using var huge = await UploadQrAsync(group, new byte[Application.Media.ImageProcessor.MaxBytes + 10]);

        Assert.Equal("image_invalid", (await text.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        Assert.Equal("image_too_large", (await huge.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        Assert.Equal(before, await Payments.ForGroupAsync(group, Ct));
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.Images.CountAsync(Ct));
    }

    [Fact]
    public async Task TooLongInstructions_AreRefusedAtTheField_AndChangeNothing()
    {
        var group = await _data.GroupAsync();
        TestData.Succeeded(await Payments.SetTextAsync(TestData.Admin, group, Instructions, Ct));

        using var patch = await Api.PatchAsJsonAsync($"/api/v1/groups/{group}",
            new { name = "Renamed", paymentInstructions = new string('x', Group.PaymentInstructionsMaxLength + 1) }, Ct);

        var problem = await patch.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Equal("text_too_long", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("paymentInstructions", out _));
        var details = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{group}", Ct);
        Assert.Equal(("Tea lovers", Instructions), (details.GetProperty("name").GetString(), details.GetProperty("paymentInstructions").GetString()));
    }

    [Fact]
    public async Task AnotherGroupsOperator_CannotSetOrReplaceThem()
    {
        var group = await _data.GroupAsync();
        var other = await _data.GroupAsync("Other");
        var outsider = await _data.OperatorAsync("outsider@test.local", other);

        var text = await Payments.SetTextAsync(outsider, group, "Pay me instead", Ct);
        using var stream = new MemoryStream(TestPictures.Png(50, 50));
        var qr = await Payments.SetQrAsync(outsider, group, stream, Ct);

        Assert.Equal(("forbidden", "forbidden"), (text.Failure?.Code, qr.Failure?.Code));
        Assert.Null(await Payments.ForGroupAsync(group, Ct));
    }
}
