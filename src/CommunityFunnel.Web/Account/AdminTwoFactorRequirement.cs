using CommunityFunnel.Application.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Web.Account;

/// <summary>
/// With Security:RequireAdminTwoFactor, an admin without two-factor sign-in is sent to set it up before any page of the
/// app opens (the pages are where Blazor circuits start, so no circuit opens either). The API is not affected: keys
/// are not people.
/// </summary>
internal static class AdminTwoFactorRequirement
{
    public const string SetupPath = "/account/two-factor";

    private static readonly string[] OpenPaths = ["/account", "/login", "/access-denied", "/_framework", "/_content", "/_blazor", "/api", "/health", "/openapi", "/m", "/me", "/join"];

    public static IApplicationBuilder UseAdminTwoFactorRequirement(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.RequireAdminTwoFactor)
        {
            return app;
        }

        return app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method)
                && context.User.IsInRole(Roles.Admin)
                && !OpenPaths.Any(p => context.Request.Path.StartsWithSegments(p))
                && !Path.HasExtension(context.Request.Path.Value)
                && await context.RequestServices.GetRequiredService<UserManager<ApplicationUser>>().GetUserAsync(context.User) is { TwoFactorEnabled: false })
            {
                context.Response.Redirect(SetupPath + "?required=true");
                return;
            }

            await next(context);
        });
    }
}
