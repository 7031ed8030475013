using System.Globalization;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Sales;
using Microsoft.AspNetCore.Http.HttpResults;
using CommunityFunnel.Web.Hardening;
using Microsoft.AspNetCore.Mvc;

namespace CommunityFunnel.Web.Api;

/// <summary>
/// With <c>groupId</c>, one sale: 201 <c>{id}</c>. With <c>groupIds</c>, one sale per group, all or nothing: 201
/// <c>{results: [{groupId, id}]}</c>, or 422 <c>bulk_rejected</c> whose <c>results</c> give each group that cannot take
/// the sale its own problem (nothing is created). <c>localStartsAt</c>/<c>localEndsAt</c> ("2026-11-27T20:00") are
/// wall-clock times in each group's zone, for <c>groupIds</c>; overrides are keyed by group id.
/// </summary>
public sealed record CreateFlashSaleRequest(
    Guid? GroupId,
    Guid ProductId,
    decimal Price,
    int Stock,
    int PerMemberLimit,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    int? PaymentMinutes = null,
    string? MinStage = null,
    IReadOnlyList<Guid>? GroupIds = null,
    string? LocalStartsAt = null,
    string? LocalEndsAt = null,
    IReadOnlyDictionary<Guid, Guid>? ProductOverrides = null,
    IReadOnlyDictionary<Guid, decimal>? PriceOverrides = null,
    AnnounceRequest? Announce = null);

/// <summary>The posts a sale makes about itself, each optional: teasers (minutes before the start), "live now", "N left" at this stock, "sold out".</summary>
public sealed record AnnounceRequest(IReadOnlyList<int>? TeaserMinutesBefore = null, bool LiveNow = false, int? LowStockAt = null, bool SoldOut = false);

/// <summary>A sale for many groups, created: one result per group, in the request's order.</summary>
public sealed record BulkCreatedResponse(IReadOnlyList<GroupCreatedResult> Results);

/// <summary>One group's result: the sale's id, or (in a rejected request) the problem that group has; neither for a group that was fine.</summary>
public sealed record GroupCreatedResult(Guid GroupId, Guid? Id, ProblemDetails? Problem);

public sealed record ClaimRequest(Guid MemberId, int Quantity);

public sealed record ClaimResponse(Guid OrderId, int Quantity, DateTimeOffset? PaymentDueAt, int? Remaining);

/// <summary>Like <see cref="CreateFlashSaleRequest"/>: <c>groupId</c> for one group, <c>groupIds</c> for many; <c>tierOverrides</c> give a group its own tiers.</summary>
public sealed record CreateGroupBuyRequest(
    Guid? GroupId,
    Guid ProductId,
    IReadOnlyList<GroupBuyTier>? Tiers,
    int MinParticipants,
    DateTimeOffset? OpensAt,
    DateTimeOffset? ClosesAt,
    IReadOnlyList<Guid>? GroupIds = null,
    string? LocalOpensAt = null,
    string? LocalClosesAt = null,
    IReadOnlyDictionary<Guid, Guid>? ProductOverrides = null,
    IReadOnlyDictionary<Guid, IReadOnlyList<GroupBuyTier>>? TierOverrides = null,
    AnnounceRequest? Announce = null);

public sealed record JoinGroupBuyRequest(Guid MemberId, int Quantity);

internal static class SalesApi
{
    public static void MapSalesApi(this RouteGroupBuilder api)
    {
        var flashSales = api.MapGroup("/flash-sales").WithTags("Flash sales");

        flashSales.MapPost("/", async Task<Results<Created<CreatedResponse>, Created<BulkCreatedResponse>, ProblemHttpResult>> (
                CreateFlashSaleRequest request, HttpContext http, FlashSaleService service, PublicUrls urls, CancellationToken ct) =>
            {
                var minStage = FunnelStage.Free;
                if (request.MinStage is not null && !EnumInput.TryParse(request.MinStage, out minStage))
                {
                    return ProblemResults.Invalid("unknown_stage", "minStage must be one of Free, Low, Mid, High, Sharing.", "minStage");
                }

                var announce = request.Announce?.ToInput(urls, http.Request);
                if (request.GroupIds is null)
                {
                    if (SingleGroupProblem(request.LocalStartsAt, request.LocalEndsAt, request.ProductOverrides, request.PriceOverrides) is { } problem)
                    {
                        return problem;
                    }

                    var input = new FlashSaleInput(request.GroupId ?? Guid.Empty, request.ProductId, request.Price, request.Stock, request.PerMemberLimit,
                        request.StartsAt ?? default, request.EndsAt ?? default, request.PaymentMinutes, minStage, announce);
                    var result = await service.CreateAsync(http.Actor(), input, ct);
                    return result.Succeeded ? TypedResults.Created($"/api/v1/flash-sales/{result.Value}", new CreatedResponse(result.Value)) : ProblemResults.From(result.Failure!);
                }

                var times = new List<RuleViolation>();
                var startsAt = SaleTimeOf(request.StartsAt, request.LocalStartsAt, "startsAt", times);
                var endsAt = SaleTimeOf(request.EndsAt, request.LocalEndsAt, "endsAt", times);
                if (times.Count > 0)
                {
                    return ProblemResults.From(Failure.Invalid(times));
                }

                var bulk = new BulkFlashSaleInput(request.GroupIds, request.ProductId, request.Price, request.Stock, request.PerMemberLimit, startsAt, endsAt,
                    request.PaymentMinutes, minStage, request.ProductOverrides, request.PriceOverrides, announce);
                return Bulk(await service.CreateManyAsync(http.Actor(), bulk, ct));
            })
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

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

        groupBuys.MapPost("/", async Task<Results<Created<CreatedResponse>, Created<BulkCreatedResponse>, ProblemHttpResult>> (
                CreateGroupBuyRequest request, HttpContext http, GroupBuyService service, PublicUrls urls, CancellationToken ct) =>
            {
                var announce = request.Announce?.ToInput(urls, http.Request);
                if (request.GroupIds is null)
                {
                    if (SingleGroupProblem(request.LocalOpensAt, request.LocalClosesAt, request.ProductOverrides, request.TierOverrides) is { } problem)
                    {
                        return problem;
                    }

                    var input = new GroupBuyInput(request.GroupId ?? Guid.Empty, request.ProductId, request.Tiers ?? [], request.MinParticipants,
                        request.OpensAt ?? default, request.ClosesAt ?? default, announce);
                    var result = await service.CreateAsync(http.Actor(), input, ct);
                    return result.Succeeded ? TypedResults.Created($"/api/v1/group-buys/{result.Value}", new CreatedResponse(result.Value)) : ProblemResults.From(result.Failure!);
                }

                var times = new List<RuleViolation>();
                var opensAt = SaleTimeOf(request.OpensAt, request.LocalOpensAt, "opensAt", times);
                var closesAt = SaleTimeOf(request.ClosesAt, request.LocalClosesAt, "closesAt", times);
                if (times.Count > 0)
                {
                    return ProblemResults.From(Failure.Invalid(times));
                }

                var bulk = new BulkGroupBuyInput(request.GroupIds, request.ProductId, request.Tiers ?? [], request.MinParticipants, opensAt, closesAt,
                    request.ProductOverrides, request.TierOverrides, announce);
                return Bulk(await service.CreateManyAsync(http.Actor(), bulk, ct));
            })
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

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

    private static SaleAnnouncementInput ToInput(this AnnounceRequest request, PublicUrls urls, HttpRequest http) =>
        new(new Uri(urls.Absolute("/", http)), request.TeaserMinutesBefore, request.LiveNow, request.LowStockAt, request.SoldOut);

    /// <summary>A one-group request keeps its contract: instants only, nothing keyed by group.</summary>
    private static ProblemHttpResult? SingleGroupProblem(string? localStart, string? localEnd, params object?[] overrides) =>
        localStart is not null || localEnd is not null || overrides.Any(o => o is not null)
            ? ProblemResults.Invalid("needs_group_ids", "Local times and per-group overrides are for requests with groupIds; send groupIds: [id] to use them for one group.", "groupIds")
            : null;

    /// <summary>An instant (same everywhere), or a local wall-clock time such as 2026-11-27T20:00 (in each group's zone); not both.</summary>
    private static SaleTime SaleTimeOf(DateTimeOffset? instant, string? local, string field, List<RuleViolation> errors)
    {
        if (local is null)
        {
            return instant is { } at ? SaleTime.At(at) : default;
        }

        var localField = "local" + char.ToUpperInvariant(field[0]) + field[1..];
        if (instant is not null)
        {
            errors.Add(new RuleViolation("instant_and_local", $"Give {field} or {localField}, not both.", localField));
        }
        else if (DateTime.TryParseExact(local, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var wallClock))
        {
            return SaleTime.Local(wallClock);
        }
        else
        {
            errors.Add(new RuleViolation("invalid_local_time", $"{localField} is a wall-clock time without an offset, such as 2026-11-27T20:00.", localField));
        }

        return default;
    }

    private static Results<Created<CreatedResponse>, Created<BulkCreatedResponse>, ProblemHttpResult> Bulk(Result<BulkSaleOutcome> result)
    {
        if (result.Value is not { } outcome)
        {
            return ProblemResults.From(result.Failure!);
        }

        var results = outcome.Results.Select(r => new GroupCreatedResult(r.GroupId, r.Id, r.Failure is { } f ? ProblemResults.From(f).ProblemDetails : null)).ToList();
        if (outcome.Created)
        {
            return TypedResults.Created((string?)null, new BulkCreatedResponse(results));
        }

        var failing = results.Count(r => r.Problem is not null);
        return TypedResults.Problem($"Nothing was created: {failing} of {results.Count} groups cannot take this sale (see results).",
            statusCode: StatusCodes.Status422UnprocessableEntity, title: "Some groups cannot take this sale", type: "https://communityfunnel.dev/problems/bulk_rejected",
            extensions: new Dictionary<string, object?> { ["code"] = "bulk_rejected", ["results"] = results });
    }
}
