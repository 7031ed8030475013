using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

/// <param name="Url">Where events are posted (http or https; a public address unless Channels:AllowPrivateAddresses).</param>
/// <param name="Events">Published event names, e.g. ["order.paid", "member.joined"].</param>
/// <param name="Secret">Signs every request: X-CommunityFunnel-Signature = "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).</param>
public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? Events, string? Secret);

/// <summary>
/// Outbound webhooks (admin keys only; an operator key gets 403). Each event is posted at least once as
/// <c>{id, type, occurredAt, data}</c>, with its id in X-CommunityFunnel-Event-Id, and retried with backoff for 3 days.
/// </summary>
internal static class WebhooksApi
{
    public static void MapWebhooksApi(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks");

        webhooks.MapPost("/", async Task<Results<Created<CreatedResponse>, ProblemHttpResult>> (
            CreateWebhookRequest request, HttpContext http, WebhookService service, CancellationToken ct) =>
            (await service.CreateAsync(http.Actor(), new WebhookInput(request.Url, request.Events, request.Secret), ct))
            .Respond(id => TypedResults.Created($"/api/v1/webhooks/{id}", new CreatedResponse(id))));

        webhooks.MapGet("/", async Task<Results<Ok<IReadOnlyList<WebhookRow>>, ProblemHttpResult>> (
            HttpContext http, WebhookService service, CancellationToken ct) =>
            (await service.ListAsync(http.Actor(), ct)).Respond(TypedResults.Ok));

        webhooks.MapGet("/{id:guid}", async Task<Results<Ok<WebhookRow>, ProblemHttpResult>> (
            Guid id, HttpContext http, WebhookService service, CancellationToken ct) =>
            (await service.GetAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok));

        webhooks.MapPost("/{id:guid}/disable", async Task<Results<Ok<WebhookRow>, ProblemHttpResult>> (
            Guid id, HttpContext http, WebhookService service, CancellationToken ct) =>
            (await service.DisableAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok));

        webhooks.MapPost("/{id:guid}/enable", async Task<Results<Ok<WebhookRow>, ProblemHttpResult>> (
            Guid id, HttpContext http, WebhookService service, CancellationToken ct) =>
            (await service.EnableAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok));

        webhooks.MapGet("/{id:guid}/deliveries", async Task<Results<Ok<CursorPage<WebhookDeliveryRow>>, ProblemHttpResult>> (
            Guid id, string? status, string? cursor, int? limit, HttpContext http, WebhookService service, CancellationToken ct) =>
        {
            WebhookDeliveryStatus? only = null;
            if (status is not null)
            {
                if (!EnumInput.TryParse<WebhookDeliveryStatus>(status, out var parsed))
                {
                    return ProblemResults.Invalid("unknown_status", $"Status must be one of {string.Join(", ", Enum.GetNames<WebhookDeliveryStatus>())}.", "status");
                }

                only = parsed;
            }

            return (await service.DeliveriesAsync(http.Actor(), id, only, cursor, limit, ct)).Respond(TypedResults.Ok);
        });

        webhooks.MapGet("/{id:guid}/deliveries/{eventId:guid}", async Task<Results<Ok<WebhookDeliveryDetails>, ProblemHttpResult>> (
            Guid id, Guid eventId, HttpContext http, WebhookService service, CancellationToken ct) =>
            (await service.DeliveryAsync(http.Actor(), id, eventId, ct)).Respond(TypedResults.Ok));

        // "Send again": the same body (same event id) goes out once more, whatever came of it before.
        webhooks.MapPost("/{id:guid}/deliveries/{eventId:guid}/redeliver", async Task<Results<Accepted<WebhookDeliveryDetails>, ProblemHttpResult>> (
            Guid id, Guid eventId, HttpContext http, WebhookService service, CancellationToken ct) =>
            (await service.RedeliverAsync(http.Actor(), id, eventId, ct))
            .Respond(delivery => TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries/{eventId}", delivery)));
    }
}
