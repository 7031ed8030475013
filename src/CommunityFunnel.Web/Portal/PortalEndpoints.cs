using CommunityFunnel.Application.Portal;
using CommunityFunnel.Application.SignIn;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Portal;

internal static class PortalEndpoints
{
    public static void MapPortalEndpoints(this WebApplication app)
    {
        // A personal link opens a session once and goes home; a bad, old, used or withdrawn link says which, and signs nobody in.
        app.MapGet("/m/{token}", async Task<RedirectHttpResult> (string token, HttpContext http, MemberLinks links, MemberPortal portal, CancellationToken ct) =>
            {
                var (scope, problem) = await links.RedeemAsync(token, ct);
                var start = scope is null ? null : await portal.StartSessionAsync(scope, ct);
                if (scope is null || start is null)
                {
                    return TypedResults.Redirect($"/me/link-problem?reason={(problem ?? MagicLinkProblem.Invalid).ToString().ToLowerInvariant()}");
                }

                await MemberSession.SignInAsync(http, scope, start);
                return TypedResults.Redirect("/me");
            })
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitRegistration.Member);

        // Telegram's Login Widget sends the member here with its signed data. A linked account signs its member in; an
        // unlinked one goes on to confirm a phone once, carrying the verified account id signed and short-lived.
        app.MapGet("/me/sign-in/telegram", async Task<RedirectHttpResult> (
                string? returnUrl, HttpContext http, TelegramLogin telegram, MemberPortal portal, CancellationToken ct) =>
            {
                var back = ReturnUrls.MemberPage(returnUrl);
                var fields = http.Request.Query.Where(q => q.Key != "returnUrl").ToDictionary(q => q.Key, q => q.Value.ToString());
                var verified = telegram.Verify(fields);
                if (verified.Value is not { } user)
                {
                    return TypedResults.Redirect(ReturnUrls.SignInPage(back, "telegramError=" + verified.Failure!.Code));
                }

                var scope = await telegram.MemberOfAsync(user.Id, ct) is { } memberId ? MemberScope.AllGroupsOf(memberId) : null;
                var start = scope is null ? null : await portal.StartSessionAsync(scope, ct);
                if (scope is null || start is null)
                {
                    return TypedResults.Redirect(ReturnUrls.SignInPage(back, "telegram=" + Uri.EscapeDataString(telegram.ProtectPending(user))));
                }

                await MemberSession.SignInAsync(http, scope, start);
                return TypedResults.Redirect(back);
            })
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitRegistration.Member);

        // The page's form carries an antiforgery token, so another site cannot sign a member out.
        app.MapPost("/me/sign-out", async Task<Results<RedirectHttpResult, BadRequest>> (HttpContext http, IAntiforgery antiforgery) =>
            {
                if (!await antiforgery.IsRequestValidAsync(http))
                {
                    return TypedResults.BadRequest();
                }

                await MemberSession.SignOutAsync(http);
                return TypedResults.LocalRedirect("/me");
            })
            .AllowAnonymous();

        // Polled by the flash-sale page every few seconds; the same numbers the whole group sees.
        app.MapGet("/me/flash-sales/{id:guid}/stock", async Task<Results<Ok<FlashSaleStock>, NotFound>> (Guid id, MemberPortal portal, CancellationToken ct) =>
                await portal.StockAsync(id, ct) is { } stock ? TypedResults.Ok(stock) : TypedResults.NotFound())
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitRegistration.Polling);
    }
}
