using System.Security.Claims;
using CommunityFunnel.Application.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CommunityFunnel.Web.Portal;

/// <summary>
/// A member's signed session on the public pages: its own cookie, encrypted and signed with the shared Data Protection
/// keys, separate from the operators' sign-in. It carries the member, the groups it may see and the member's session
/// stamp when it was opened; every request checks the stamp, so revoking a member's sessions ends them at once on every
/// instance. A tampered or revoked cookie is simply not a session.
/// </summary>
internal static class MemberSession
{
    public const string Scheme = "Member";
    public const string LanguageCookie = "cf.member-lang";
    private const string MemberIdClaim = "member_id";
    private const string StampClaim = "member_stamp";
    private const string GroupClaim = "member_group";
    private const string AllGroupsClaim = "member_all_groups";
    private static readonly object ScopeItem = new();

    /// <summary>The public pages members use: joining, and everything under /me.</summary>
    public static bool IsMemberPage(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/join") || context.Request.Path.StartsWithSegments("/me");

    /// <summary>Reads the member session once per request on member pages, before rate limiting partitions by it.</summary>
    public static IApplicationBuilder UseMemberSessions(this IApplicationBuilder app) =>
        app.UseWhen(IsMemberPage,
            branch => branch.Use(async (context, next) =>
            {
                var result = await context.AuthenticateAsync(Scheme);
                if (result.Succeeded && ReadScope(result.Principal) is var (scope, stamp))
                {
                    var portal = context.RequestServices.GetRequiredService<MemberPortal>();
                    if (await portal.IsSessionCurrentAsync(scope.MemberId, stamp, context.RequestAborted))
                    {
                        context.Items[ScopeItem] = scope;
                    }
                    else
                    {
                        await SignOutAsync(context);
                    }
                }

                await next(context);
            }));

    /// <summary>The signed-in member and what their session may see, or null for a visitor (or a tampered or revoked cookie).</summary>
    public static MemberScope? SignedInMember(HttpContext http) => http.Items.TryGetValue(ScopeItem, out var scope) ? (MemberScope)scope! : null;

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

    public static async Task SignInAsync(HttpContext http, MemberScope scope, MemberSessionStart start)
    {
        var language = start.Language;
        Claim[] claims =
        [
            new(MemberIdClaim, scope.MemberId.ToString()),
            new(StampClaim, start.Stamp.ToString()),
            .. scope.GroupIds is { } ids ? ids.Select(id => new Claim(GroupClaim, id.ToString())) : [new Claim(AllGroupsClaim, "true")],
        ];
        var identity = new ClaimsIdentity(claims, Scheme);
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
        http.Response.Cookies.Append(LanguageCookie, language, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(30) });
    }

    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);

    /// <summary>Only a session marked as the member's own sees all their groups; any other sees the groups it names, if any.</summary>
    private static (MemberScope Scope, Guid Stamp)? ReadScope(ClaimsPrincipal principal)
    {
        if (!Guid.TryParse(principal.FindFirstValue(MemberIdClaim), out var memberId) || !Guid.TryParse(principal.FindFirstValue(StampClaim), out var stamp))
        {
            return null;
        }

        var groups = principal.HasClaim(AllGroupsClaim, "true")
            ? null
            : principal.FindAll(GroupClaim).Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty).ToList();
        return (new MemberScope(memberId, groups), stamp);
    }
}
