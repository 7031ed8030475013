using CommunityFunnel.Application.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace CommunityFunnel.Web.Account;

internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this WebApplication app)
    {
        // A form POST with the antiforgery token (UseAntiforgery validates it): no cross-site sign-out.
        app.MapPost("/account/logout", async ([FromForm] string? returnUrl, SignInManager<ApplicationUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/login");
        }).RequireAuthorization();

        app.MapGet("/account/culture", (string? culture, string? returnUrl, HttpContext http) =>
        {
            var chosen = WebRegistration.SupportedCultures.FirstOrDefault(c => c.Name == culture) ?? WebRegistration.SupportedCultures[0];
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen, chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous();
    }

    /// <summary>Only same-site paths: "/groups" yes, "//evil.example" or "https://…" no.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
