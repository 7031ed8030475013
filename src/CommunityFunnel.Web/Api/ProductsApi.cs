using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Web.Hardening;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

public sealed record PictureOrderRequest(IReadOnlyList<Guid>? PictureIds);

public sealed record PicturesResponse(IReadOnlyList<ProductPictureView> Pictures);

public sealed record CreateProductRequest(string? Name, string? Tier, decimal? Price, string? Kind, string? Currency = null, string? Description = null);

internal static class ProductsApi
{
    public static void MapProductsApi(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Products");

        products.MapPost("/", async Task<Results<Created<CreatedResponse>, ProblemHttpResult>> (
            CreateProductRequest request, HttpContext http, ProductService service, CancellationToken ct) =>
        {
            var violations = new List<RuleViolation>();
            if (!EnumInput.TryParse<FunnelStage>(request.Tier, out var tier) || !tier.IsPaidTier())
            {
                violations.Add(new RuleViolation("invalid_tier", "Tier must be Low, Mid or High.", "tier"));
            }

            if (!EnumInput.TryParse<ProductKind>(request.Kind ?? nameof(ProductKind.Profit), out var kind))
            {
                violations.Add(new RuleViolation("invalid_kind", "Kind must be Traffic or Profit.", "kind"));
            }

            if (request.Price is null)
            {
                violations.Add(new RuleViolation("price_required", "Price is required.", "price"));
            }

            if (violations.Count > 0)
            {
                return ProblemResults.From(Application.Common.Failure.Invalid(violations));
            }

            var input = new ProductInput(request.Name, request.Description, tier, request.Price!.Value, request.Currency, kind);
            var result = await service.CreateAsync(http.Actor(), input, ct);
            return result.Respond(id => TypedResults.Created($"/api/v1/products/{id}", new CreatedResponse(id)));
        });

        products.MapGet("/{id:guid}", async Task<Results<Ok<ProductRow>, ProblemHttpResult>> (Guid id, HttpContext http, ProductService service, PublicUrls urls, CancellationToken ct) =>
            (await service.GetAsync(id, ct)).Respond(row => TypedResults.Ok(WithLinks(row, urls, http.Request))));

        products.MapGet("/", async Task<Results<Ok<CursorPage<ProductRow>>, ProblemHttpResult>> (
            bool? includeInactive, string? currency, string? cursor, int? limit, HttpContext http, ProductService service, PublicUrls urls, CancellationToken ct) =>
            (await service.ListPageAsync(includeInactive ?? false, currency?.ToUpperInvariant(), cursor, limit, ct))
                .Respond(page => TypedResults.Ok(page with { Items = [.. page.Items.Select(row => WithLinks(row, urls, http.Request))] })));

        // A picture for the product (multipart field "file"): JPEG, PNG or WebP up to 5 MB, added after the others.
        products.MapPost("/{id:guid}/pictures", async Task<Results<Created<ProductPictureView>, ProblemHttpResult>> (
            Guid id, IFormFile? file, HttpContext http, ProductPictures pictures, PublicUrls urls, CancellationToken ct) =>
            {
                if (file is null)
                {
                    return ProblemResults.Invalid("file_required", "Send the picture as the multipart field \"file\".", "file");
                }

                await using var upload = file.OpenReadStream();
                return (await pictures.AddAsync(http.Actor(), id, upload, ct))
                    .Respond(picture => TypedResults.Created($"/api/v1/products/{id}", WithLink(picture, urls, http.Request)));
            })
            .Accepts<IFormFile>("multipart/form-data");

        products.MapDelete("/{id:guid}/pictures/{pictureId:guid}", async Task<Results<Ok<PicturesResponse>, ProblemHttpResult>> (
            Guid id, Guid pictureId, HttpContext http, ProductPictures pictures, PublicUrls urls, CancellationToken ct) =>
            (await pictures.RemoveAsync(http.Actor(), id, pictureId, ct)).Respond(list => TypedResults.Ok(Response(list, urls, http.Request))));

        // The pictures in a new order, each once; the first is the cover.
        products.MapPut("/{id:guid}/pictures/order", async Task<Results<Ok<PicturesResponse>, ProblemHttpResult>> (
            Guid id, PictureOrderRequest request, HttpContext http, ProductPictures pictures, PublicUrls urls, CancellationToken ct) =>
            (await pictures.ReorderAsync(http.Actor(), id, request.PictureIds, ct)).Respond(list => TypedResults.Ok(Response(list, urls, http.Request))));
    }

    private static ProductRow WithLinks(ProductRow row, PublicUrls urls, HttpRequest request) =>
        row with { Pictures = [.. row.Pictures.Select(p => WithLink(p, urls, request))] };

    private static ProductPictureView WithLink(ProductPictureView picture, PublicUrls urls, HttpRequest request) =>
        picture with { Url = urls.Absolute(picture.Url, request) };

    private static PicturesResponse Response(IReadOnlyList<ProductPictureView> pictures, PublicUrls urls, HttpRequest request) =>
        new([.. pictures.Select(p => WithLink(p, urls, request))]);
}
