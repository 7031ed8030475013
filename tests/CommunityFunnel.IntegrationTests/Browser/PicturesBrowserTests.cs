using System.Text.RegularExpressions;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Payments;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommunityFunnel.IntegrationTests.Browser;

/// <summary>Pictures in the back office: a product's in its dialog, a group's collection QR code, a post's picture.</summary>
public sealed class PicturesBrowserTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private static FilePayload File(string name, string mimeType, byte[] content) => new() { Name = name, MimeType = mimeType, Buffer = content };

    /// <summary>Picks files as a person does: through the file chooser the upload button opens.</summary>
    private static async Task ChooseAsync(IPage page, ILocator button, params FilePayload[] files)
    {
        var chooser = await page.RunAndWaitForFileChooserAsync(() => button.ClickAsync());
        await chooser.SetFilesAsync(files);
    }

    [Fact]
    public async Task Admin_AddsPicturesInTheProductDialog_SeesARefusedFileAtTheField_AndMakesTheSecondTheCover()
    {
        var product = await _data.ProductAsync();
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync(PostgresFixture.AdminEmail, PostgresFixture.AdminPassword);
        await page.GotoAsync("/products");
        await browser.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit" }).First.ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        var upload = dialog.Locator("[data-testid=add-pictures]");

        await ChooseAsync(page, upload, File("gift-box.png", "image/png", TestPictures.Png(300, 200)), File("label.jpg", "image/jpeg", TestPictures.Jpeg(200, 300)));
        await Expect(dialog.Locator("[data-testid=product-picture]")).ToHaveCountAsync(2);
        await ChooseAsync(page, upload, File("notes.jpg", "image/jpeg", "shopping list: tea"u8.ToArray()));
        await Expect(dialog.Locator("[data-testid=picture-error]")).ToContainTextAsync("notes.jpg: The file is not a picture");
        await Expect(dialog.Locator("[data-testid=product-picture]")).ToHaveCountAsync(2); // nothing added
        await dialog.Locator("[data-testid=move-picture-later]").First.ClickAsync();
        await Expect(dialog.Locator("[data-testid=product-picture] img").First).ToHaveAttributeAsync("alt", "Picture 1");
        await browser.ScreenshotAsync("product-dialog-pictures");

        await dialog.Locator("[data-testid=save-product]").ClickAsync();
        await Expect(page.Locator("img.product-picture")).ToHaveCountAsync(1); // the cover in the products table
        await browser.ScreenshotAsync("products-with-cover");
        var pictures = TestData.Succeeded(await Database.Get<ProductPictures>().ListAsync(product, Ct));
        Assert.Equal([(200, 300), (300, 200)], pictures.Select(p => (p.Width, p.Height))); // the label is the cover now
    }

    [Fact]
    public async Task Operator_SetsPaymentInstructionsAndAQrCode_OnTheGroupOverview_AndABadQrChangesNothing()
    {
        var group = await _data.GroupAsync();
        await _data.OperatorAsync("op@test.local", group);
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync("op@test.local", "operator-password-1");
        await page.GotoAsync($"/groups/{group}");
        await browser.WaitUntilInteractiveAsync();
        var card = page.Locator("[data-testid=payment-card]");

        await card.Locator("textarea[data-testid=payment-text]").FillAsync("Transfer to Alipay 138 0000 0000 (Wang Li)\nand write your order reference.");
        await card.Locator("[data-testid=save-payment-text]").ClickAsync();
        await Expect(page.GetByText("Payment instructions saved.")).ToBeVisibleAsync();
        await ChooseAsync(page, card.Locator("[data-testid=upload-payment-qr]"), File("collect.png", "image/png", TestPictures.Png(200, 200)));
        await Expect(card.Locator("img[data-testid=payment-qr]")).ToBeVisibleAsync();
        var qrBefore = await card.Locator("img[data-testid=payment-qr]").GetAttributeAsync("src");
        await ChooseAsync(page, card.Locator("[data-testid=upload-payment-qr]"), File("collect.png", "image/png", "not a QR code"u8.ToArray()));
        await Expect(card.Locator("[data-testid=payment-qr-error]")).ToContainTextAsync("not a picture");
        await Expect(card.Locator("img[data-testid=payment-qr]")).ToHaveAttributeAsync("src", qrBefore!);
        await browser.ScreenshotAsync("group-payment-instructions");

        var view = await Database.Get<PaymentInstructions>().ForGroupAsync(group, Ct);
        Assert.Equal(("Transfer to Alipay 138 0000 0000 (Wang Li)\nand write your order reference.", qrBefore), (view?.Text, view?.QrUrl));
    }

    [Fact]
    public async Task Operator_AttachesAnUploadedPicture_ToANewPost_AndSeesItInTheLogAndTheToSendQueue()
    {
        var group = await _data.GroupAsync();
        TestData.Succeeded(await Database.Get<ChannelService>().AddAsync(TestData.Admin, group, new ChannelInput(ChannelKind.Assisted, Name: "Customer group"), Ct));
        await _data.OperatorAsync("op@test.local", group);
        await using var browser = await BrowserSession.StartAsync(Database.App.BaseAddress);
        var page = browser.Page;
        await browser.SignInAsync("op@test.local", "operator-password-1");
        await page.GotoAsync("/posts/new");
        await browser.WaitUntilInteractiveAsync();

        await page.ClickAsync("[data-testid=all-groups]");
        await page.Locator("textarea[data-testid=post-text]").FillAsync("New gift boxes are in!");
        await ChooseAsync(page, page.Locator("[data-testid=upload-post-image]"), File("boxes.webp", "image/webp", TestPictures.Webp(800, 600)));
        await Expect(page.Locator("img[data-testid=post-image-preview]")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("new-post-picture");
        await page.ClickAsync("[data-testid=send-post]");

        await Expect(page).ToHaveURLAsync(new Regex("/announcements/[0-9a-f-]{36}$"), new() { Timeout = 20_000 });
        await browser.WaitUntilInteractiveAsync();
        await Expect(page.Locator("img[data-testid=post-image]")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("delivery-log-picture");

        Database.Clock.SetUtcNow(DateTimeOffset.UtcNow.AddSeconds(1)); // the app scheduled it on the real clock
        await Database.Get<DeliveryDispatcher>().RunOnceAsync(Ct); // queues it for the operator to paste
        await page.GotoAsync("/to-send");
        await browser.WaitUntilInteractiveAsync();
        await Expect(page.Locator("[data-testid=to-send-item] img[data-testid=to-send-image]")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("to-send-picture");
        await using var db = await Database.CreateDbContextAsync();
        var post = await db.Posts.SingleAsync(Ct);
        Assert.NotNull(post.ImageId);
        Assert.Equal("image/jpeg", await db.Images.Where(i => i.Id == post.ImageId).Select(i => i.ContentType).SingleAsync(Ct));
    }
}
