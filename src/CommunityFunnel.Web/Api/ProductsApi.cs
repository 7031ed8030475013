using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Pricing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

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

        products.MapGet("/{id:guid}", async Task<Results<Ok<ProductRow>, ProblemHttpResult>> (Guid id, ProductService service, CancellationToken ct) =>
            (await service.GetAsync(id, ct)).Respond(TypedResults.Ok));

        products.MapGet("/", async Task<Results<Ok<CursorPage<ProductRow>>, ProblemHttpResult>> (
            bool? includeInactive, string? currency, string? cursor, int? limit, ProductService service, CancellationToken ct) =>
            (await service.ListPageAsync(includeInactive ?? false, currency?.ToUpperInvariant(), cursor, limit, ct)).Respond(TypedResults.Ok));
    }
}
