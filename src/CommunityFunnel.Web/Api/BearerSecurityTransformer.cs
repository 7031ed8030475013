using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CommunityFunnel.Web.Api;

/// <summary>
/// Tells OpenAPI readers that /api/v1 takes "Authorization: Bearer &lt;API key&gt;" (in a code span: the reference
/// renders Markdown, where a bare &lt;key&gt; is an HTML tag and vanishes).
/// </summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "CommunityFunnel API";
        document.Info.Description = "Create API keys under Admin > API keys and send them as `Authorization: Bearer <key>`. Errors are RFC 9457 problem details with a stable `code`.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A CommunityFunnel API key (cf_…)",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
