using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

internal static class ApiRegistration
{
    /// <summary>/api/v1: API keys only (no cookies, so no CSRF surface), rate-limited per key.</summary>
    public static void MapCommunityFunnelApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole(Roles.All))
            .RequireRateLimiting(RateLimitRegistration.Api)
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGroupsApi();
        api.MapProductsApi();
        api.MapMembersApi();
        api.MapOrdersApi();
        api.MapAnnouncementsApi();
        api.MapSalesApi();
        api.MapUsersApi();
        api.MapTodayApi();
        api.MapRebatesApi();
        api.MapPromotionDaysApi();
        api.MapPayoutsApi();
        api.MapWebhooksApi();
        api.MapRedEnvelopesApi();
    }

    public static Actor Actor(this HttpContext context) =>
        Application.Access.Actor.From(context.User) ?? throw new InvalidOperationException("The API requires an authenticated actor.");

    /// <summary>The success result, or the failure as problem details.</summary>
    public static Results<TSuccess, ProblemHttpResult> Respond<T, TSuccess>(this Result<T> result, Func<T, TSuccess> success)
        where TSuccess : IResult =>
        result.Failure is { } failure ? ProblemResults.From(failure) : success(result.Value!);
}
