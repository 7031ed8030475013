using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Domain.Orders;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CommunityFunnel.Web.Api;

public sealed record CreateOrderRequest(Guid MemberId, Guid GroupId, Guid ProductId, int Quantity, decimal? UnitPrice);

/// <summary>A refund of everything left (no body, or neither field), of an amount, or of a number of units.</summary>
public sealed record RefundOrderRequest(decimal? Amount, int? Quantity);

internal static class OrdersApi
{
    public static void MapOrdersApi(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders");

        orders.MapPost("/", async Task<Results<Created<OrderView>, ProblemHttpResult>> (
            CreateOrderRequest request, HttpContext http, OrderService service, CancellationToken ct) =>
        {
            var input = new OrderInput(request.MemberId, request.GroupId, request.ProductId, request.Quantity, request.UnitPrice);
            var result = await service.RecordAsync(http.Actor(), input, ct);
            return result.Respond(order => TypedResults.Created($"/api/v1/orders/{order.Id}", order));
        });

        orders.MapGet("/", async Task<Results<Ok<CursorPage<OrderView>>, ProblemHttpResult>> (
            Guid? groupId, Guid? memberId, string? status, bool? paymentReported, string? cursor, int? limit, HttpContext http, OrderService service, CancellationToken ct) =>
        {
            OrderStatus? statusFilter = null;
            if (status is not null)
            {
                if (!EnumInput.TryParse<OrderStatus>(status, out var parsed))
                {
                    return ProblemResults.Invalid("unknown_status", $"Status must be one of {string.Join(", ", Enum.GetNames<OrderStatus>())}.", "status");
                }

                statusFilter = parsed;
            }

            return (await service.ListPageAsync(http.Actor(), new OrderFilter(groupId, memberId, statusFilter, PaymentReported: paymentReported == true), cursor, limit, ct)).Respond(TypedResults.Ok);
        });

        orders.MapGet("/{id:guid}", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (Guid id, HttpContext http, OrderService service, CancellationToken ct) =>
            (await service.GetAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok));

        orders.MapPost("/{id:guid}/pay", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (Guid id, HttpContext http, OrderService service, CancellationToken ct) =>
            (await service.PayAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok));

        // A retried refund with the same Idempotency-Key and body refunds nothing more: 200 again, marked Idempotent-Replayed.
        orders.MapPost("/{id:guid}/refund", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (
                Guid id, RefundOrderRequest? request, [FromHeader(Name = IdempotencyKeys.Field)] string? idempotencyKey,
                HttpContext http, OrderService service, CancellationToken ct) =>
            {
                var result = await service.RefundAsync(http.Actor(), id, new RefundRequest(request?.Amount, request?.Quantity), idempotencyKey, ct);
                return result.Respond(refund =>
                {
                    if (refund.Replayed)
                    {
                        http.Response.Headers["Idempotent-Replayed"] = "true";
                    }

                    return TypedResults.Ok(refund.Order);
                });
            })
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        orders.MapPost("/{id:guid}/cancel", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (Guid id, HttpContext http, OrderService service, CancellationToken ct) =>
            (await service.CancelAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok));
    }
}
