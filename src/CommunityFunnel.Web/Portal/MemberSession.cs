using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CommunityFunnel.Web.Portal;

/// <summary>
/// A member's signed session on the public pages: its own cookie, encrypted and signed with the shared Data Protection
/// keys, separate from the operators' sign-in. A tampered cookie is simply not a session.
/// </summary>
internal static class MemberSession
{
    public const string Scheme = "Member";
    public const string LanguageCookie = "cf.member-lang";
    private const string MemberIdClaim = "member_id";
    private static readonly object MemberIdItem = new();

    /// <summary>The public pages members use: joining, and everything under /me.</summary>
    public static bool IsMemberPage(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/join") || context.Request.Path.StartsWithSegments("/me");

    /// <summary>Reads the member session once per request on member pages, before rate limiting partitions by it.</summary>
    public static IApplicationBuilder UseMemberSessions(this IApplicationBuilder app) =>
        app.UseWhen(IsMemberPage,
            branch => branch.Use(async (context, next) =>
            {
                var result = await context.AuthenticateAsync(Scheme);
                if (result.Succeeded && Guid.TryParse(result.Principal.FindFirstValue(MemberIdClaim), out var id))
                {
                    context.Items[MemberIdItem] = id;
                }

                await next(context);
            }));

    /// <summary>The signed-in member's id, or null for a visitor (or a cookie that fails its signature).</summary>
    public static Guid? SignedInMember(HttpContext http) => http.Items.TryGetValue(MemberIdItem, out var id) ? (Guid)id! : null;

    public static void AddMemberSessions(this AuthenticationBuilder authentication) =>
        authentication.AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "cf.member";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.ExpireTimeSpan = TimeSpan.FromDays(30);
            options.SlidingExpiration = true;
            options.LoginPath = "/me";
            options.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                },
            };
        });

    public static async Task SignInAsync(HttpContext http, Guid memberId, string language)
    {
        var identity = new ClaimsIdentity([new Claim(MemberIdClaim, memberId.ToString())], Scheme);
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
        http.Response.Cookies.Append(LanguageCookie, language, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(30) });
    }

    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);
}
