using Microsoft.AspNetCore.CookiePolicy;

namespace CommunityFunnel.Web.Hardening;

/// <summary>
/// HTTPS wherever the request arrived over it (directly, or as X-Forwarded-Proto from a trusted proxy): every cookie
/// the app writes (sign-in, antiforgery, member session, language) is Secure, and outside Development the response
/// carries HSTS. Plain HTTP is redirected when an HTTPS port is known; health probes stay reachable over HTTP.
/// </summary>
internal static class HttpsOnly
{
    public static void AddHttpsOnly(this IServiceCollection services)
    {
        // The policy wraps Response.Cookies, so it covers cookies set by hand as well as by authentication and antiforgery.
        services.Configure<CookiePolicyOptions>(options => options.Secure = CookieSecurePolicy.SameAsRequest);
        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
    }

    public static void UseHttpsOnly(this WebApplication app)
    {
        app.UseCookiePolicy();
        if (app.Environment.IsDevelopment())
        {
            return;
        }

        app.UseHsts();
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/health"), branch => branch.UseHttpsRedirection());
    }
}
