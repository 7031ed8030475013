using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Sales;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CommunityFunnel.Web.Api;

public sealed record CreateFlashSaleRequest(
    Guid GroupId,
    Guid ProductId,
    decimal Price,
    int Stock,
    int PerMemberLimit,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int? PaymentMinutes = null,
    string? MinStage = null);

public sealed record ClaimRequest(Guid MemberId, int Quantity);

public sealed record ClaimResponse(Guid OrderId, int Quantity, DateTimeOffset? PaymentDueAt, int? Remaining);

public sealed record CreateGroupBuyRequest(
    Guid GroupId,
    Guid ProductId,
    IReadOnlyList<GroupBuyTier>? Tiers,
    int MinParticipants,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt);

public sealed record JoinGroupBuyRequest(Guid MemberId, int Quantity);

internal static class SalesApi
{
    public static void MapSalesApi(this RouteGroupBuilder api)
    {
        var flashSales = api.MapGroup("/flash-sales").WithTags("Flash sales");

        flashSales.MapPost("/", async Task<Results<Created<CreatedResponse>, ProblemHttpResult>> (
            CreateFlashSaleRequest request, HttpContext http, FlashSaleService service, CancellationToken ct) =>
        {
            var minStage = FunnelStage.Free;
            if (request.MinStage is not null && !EnumInput.TryParse(request.MinStage, out minStage))
            {
                return ProblemResults.Invalid("unknown_stage", "minStage must be one of Free, Low, Mid, High, Sharing.", "minStage");
            }

            var input = new FlashSaleInput(request.GroupId, request.ProductId, request.Price, request.Stock, request.PerMemberLimit,
                request.StartsAt, request.EndsAt, request.PaymentMinutes, minStage);
            var result = await service.CreateAsync(http.Actor(), input, ct);
            return result.Respond(id => TypedResults.Created($"/api/v1/flash-sales/{id}", new CreatedResponse(id)));
        });

        flashSales.MapGet("/{id:guid}", async Task<Results<Ok<FlashSaleView>, ProblemHttpResult>> (
            Guid id, HttpContext http, FlashSaleService service, CancellationToken ct) =>
            (await service.GetAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok));

        flashSales.MapPost("/{id:guid}/cancel", async Task<Results<NoContent, ProblemHttpResult>> (
            Guid id, HttpContext http, FlashSaleService service, CancellationToken ct) =>
            (await service.CancelAsync(http.Actor(), id, ct)).Respond(_ => TypedResults.NoContent()));

        // A retried claim with the same Idempotency-Key returns the first order (201 again, marked Idempotent-Replayed).
        flashSales.MapPost("/{id:guid}/claims", async Task<Results<Created<ClaimResponse>, ProblemHttpResult>> (
                Guid id, ClaimRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                HttpContext http, FlashSaleService service, CancellationToken ct) =>
            {
                var result = await service.ClaimForAsync(http.Actor(), id, request.MemberId, request.Quantity, idempotencyKey, ct);
                return result.Respond(claim =>
                {
                    if (claim.Replayed)
                    {
                        http.Response.Headers["Idempotent-Replayed"] = "true";
                    }

                    return TypedResults.Created($"/api/v1/orders/{claim.OrderId}", new ClaimResponse(claim.OrderId, claim.Quantity, claim.PaymentDueAt, claim.Remaining));
                });
            })
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        flashSales.MapGet("/", async Task<Results<Ok<CursorPage<FlashSaleView>>, ProblemHttpResult>> (
            Guid? groupId, string? cursor, int? limit, HttpContext http, FlashSaleService service, CancellationToken ct) =>
            (await service.ListPageAsync(http.Actor(), groupId, cursor, limit, ct)).Respond(TypedResults.Ok));

        var groupBuys = api.MapGroup("/group-buys").WithTags("Group-buys");

        groupBuys.MapPost("/", async Task<Results<Created<CreatedResponse>, ProblemHttpResult>> (
            CreateGroupBuyRequest request, HttpContext http, GroupBuyService service, CancellationToken ct) =>
        {
            var input = new GroupBuyInput(request.GroupId, request.ProductId, request.Tiers ?? [], request.MinParticipants, request.OpensAt, request.ClosesAt);
            var result = await service.CreateAsync(http.Actor(), input, ct);
            return result.Respond(id => TypedResults.Created($"/api/v1/group-buys/{id}", new CreatedResponse(id)));
        });

        groupBuys.MapGet("/{id:guid}", async Task<Results<Ok<GroupBuyView>, ProblemHttpResult>> (
            Guid id, HttpContext http, GroupBuyService service, CancellationToken ct) =>
            (await service.GetAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok));

        groupBuys.MapGet("/", async Task<Results<Ok<IReadOnlyList<GroupBuyView>>, ProblemHttpResult>> (
            Guid groupId, HttpContext http, GroupBuyService service, CancellationToken ct) =>
            (await service.ListForGroupAsync(http.Actor(), groupId, ct)).Respond(TypedResults.Ok));

        groupBuys.MapPost("/{id:guid}/participants", async Task<Results<Created<GroupBuyJoinResult>, ProblemHttpResult>> (
                Guid id, JoinGroupBuyRequest request, HttpContext http, GroupBuyService service, CancellationToken ct) =>
                (await service.JoinForAsync(http.Actor(), id, request.MemberId, request.Quantity, ct))
                .Respond(joined => TypedResults.Created($"/api/v1/orders/{joined.OrderId}", joined)))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        groupBuys.MapGet("/{id:guid}/orders", async Task<Results<Ok<IReadOnlyList<Application.Orders.OrderView>>, ProblemHttpResult>> (
            Guid id, HttpContext http, Application.Orders.OrderService orders, CancellationToken ct) =>
            (await orders.ListForGroupBuyAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok));
    }
}
