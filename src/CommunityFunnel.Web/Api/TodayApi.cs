using CommunityFunnel.Application.Today;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

internal static class TodayApi
{
    public static void MapTodayApi(this RouteGroupBuilder api) =>
        api.MapGet("/today", async Task<Ok<TodayView>> (HttpContext http, TodayBoard board, CancellationToken ct) =>
                TypedResults.Ok(await board.ForAsync(http.Actor(), ct)))
            .WithTags("Today")
            .WithSummary("What needs the caller now across their groups: payments to confirm and awaiting, sales live and next, posts due in 24 hours, the to-send count.");
}
