using Scalar.AspNetCore;

namespace CommunityFunnel.Web.Api;

internal static class ScalarRegistration
{
    /// <summary>
    /// A browsable API reference at /api/docs, reading /openapi/v1.json. It loads nothing from outside the app: no
    /// CDN fonts, no AI chat, no MCP link, no telemetry (the page is public, and the policy allows only our origin).
    /// </summary>
    public static void MapScalarDocs(this WebApplication app) =>
        app.MapScalarApiReference("/api/docs", options =>
            {
                options.WithTitle("CommunityFunnel API")
                    .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                    .DisableDefaultFonts();
                options.Agent = new ScalarAgentOptions { Disabled = true };
                options.Mcp = new ScalarMcpOptions { Disabled = true };
                options.Telemetry = false;
                options.ShowDeveloperTools = DeveloperToolsVisibility.Never; // its Share and Generate SDK buttons lead to scalar.com
            })
            .AllowAnonymous();
}
