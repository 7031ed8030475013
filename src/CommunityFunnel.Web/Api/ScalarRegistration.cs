using Scalar.AspNetCore;

namespace CommunityFunnel.Web.Api;

internal static class ScalarRegistration
{
    /// <summary>A browsable API reference at /api/docs, reading /openapi/v1.json.</summary>
    public static void MapScalarDocs(this WebApplication app) =>
        app.MapScalarApiReference("/api/docs", options => options
                .WithTitle("CommunityFunnel API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
}
