using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CommunityFunnel.Web.Api;

/// <summary>
/// Creating a flash sale or group-buy answers 201 with <c>{id}</c> for one group or <c>{results}</c> for many; the
/// generator keeps one body per status, so this documents both (one of them).
/// </summary>
internal sealed class SaleCreationTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var path in new[] { "/api/v1/flash-sales", "/api/v1/group-buys" })
        {
            if (document.Paths.TryGetValue(path, out var item) && item.Operations?.TryGetValue(HttpMethod.Post, out var post) == true
                && post.Responses?.TryGetValue("201", out var created) == true && created.Content?.TryGetValue("application/json", out var body) == true)
            {
                body.Schema = new OpenApiSchema
                {
                    OneOf = [new OpenApiSchemaReference(nameof(CreatedResponse), document), new OpenApiSchemaReference(nameof(BulkCreatedResponse), document)],
                };
            }
        }

        return Task.CompletedTask;
    }
}
