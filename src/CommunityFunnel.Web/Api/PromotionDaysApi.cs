using CommunityFunnel.Application.Promotions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

public sealed record PromotionDayRequest(int DayOfMonth, decimal? Multiplier, Guid? GiftProductId);

internal static class PromotionDaysApi
{
    public static void MapPromotionDaysApi(this RouteGroupBuilder api)
    {
        // 204 while the group has no promotion day.
        api.MapGet("/groups/{groupId:guid}/promotion-day", async Task<Results<Ok<PromotionDayView>, NoContent, ProblemHttpResult>> (
                Guid groupId, HttpContext http, PromotionDayService days, CancellationToken ct) =>
            {
                var found = await days.GetAsync(http.Actor(), groupId, ct);
                return found.Failure is { } failure ? ProblemResults.From(failure) : found.Value is { } day ? TypedResults.Ok(day) : TypedResults.NoContent();
            })
            .WithTags("Groups");

        api.MapPut("/groups/{groupId:guid}/promotion-day", async Task<Results<Ok<PromotionDayView>, ProblemHttpResult>> (
                Guid groupId, PromotionDayRequest request, HttpContext http, PromotionDayService days, CancellationToken ct) =>
            (await days.SetAsync(http.Actor(), groupId, request.DayOfMonth, request.Multiplier ?? 1m, request.GiftProductId, ct)).Respond(TypedResults.Ok))
            .WithTags("Groups");

        // 204 whether or not the group had one; the next occurrence's countdown is called off unless it has started.
        api.MapDelete("/groups/{groupId:guid}/promotion-day", async Task<Results<NoContent, ProblemHttpResult>> (
                Guid groupId, HttpContext http, PromotionDayService days, CancellationToken ct) =>
            (await days.RemoveAsync(http.Actor(), groupId, ct)).Respond(_ => TypedResults.NoContent()))
            .WithTags("Groups");
    }
}
