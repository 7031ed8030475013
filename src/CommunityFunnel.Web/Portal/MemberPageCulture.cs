using System.Globalization;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Domain.Groups;

namespace CommunityFunnel.Web.Portal;

/// <summary>
/// Member pages speak the group's language, not the browser's: the join page and sale pages use their group's
/// setting; the member's home uses the language remembered at sign-in.
/// </summary>
internal static class MemberPageCulture
{
    public static IApplicationBuilder UseMemberPageCulture(this IApplicationBuilder app) =>
        app.UseWhen(MemberSession.IsMemberPage, branch => branch.Use(async (context, next) =>
        {
            var language = await LanguageAsync(context);
            if (language is not null && GroupLanguages.Supported.Contains(language))
            {
                var culture = CultureInfo.GetCultureInfo(language);
                CultureInfo.CurrentCulture = culture;
                CultureInfo.CurrentUICulture = culture;
            }

            await next(context);
        }));

    private static async Task<string?> LanguageAsync(HttpContext context)
    {
        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var portal = context.RequestServices.GetRequiredService<MemberPortal>();
        var ct = context.RequestAborted;
        return segments switch
        {
            ["join", var code] => await portal.LanguageForAsync(code, null, null, ct),
            ["me", "flash-sales", var id] when Guid.TryParse(id, out var saleId) => await portal.LanguageForAsync(null, saleId, null, ct),
            ["me", "group-buys", var id] when Guid.TryParse(id, out var buyId) => await portal.LanguageForAsync(null, null, buyId, ct),
            ["me", "sign-in"] when await portal.GroupOfPageAsync(context.Request.Query["returnUrl"], ct) is { } group => group.Language,
            _ => context.Request.Cookies[MemberSession.LanguageCookie],
        };
    }
}
