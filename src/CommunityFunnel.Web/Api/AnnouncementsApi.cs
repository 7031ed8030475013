using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Media;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Web.Hardening;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

public sealed record CreateChannelRequest(string? Kind, string? Name = null, string? Url = null, string? Key = null, string? ChatId = null, string? Token = null, string? Secret = null);

public sealed record TestMessageResponse(SendResult Result, string Response);

internal static class AnnouncementsApi
{
    public static void MapAnnouncementsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/groups/{groupId:guid}/channels", async Task<Results<Created<CreatedResponse>, ProblemHttpResult>> (
            Guid groupId, CreateChannelRequest request, HttpContext http, ChannelService channels, CancellationToken ct) =>
        {
            if (!EnumInput.TryParse<ChannelKind>(request.Kind, out var kind))
            {
                return ProblemResults.Invalid("unknown_kind", "Kind must be Webhook, WeCom, Telegram, Discord, Slack or Assisted.", "kind");
            }

            var input = new ChannelInput(kind, request.Name, request.Url, request.Key, request.ChatId, request.Token, request.Secret);
            var result = await channels.AddAsync(http.Actor(), groupId, input, ct);
            return result.Respond(id => TypedResults.Created($"/api/v1/channels/{id}", new CreatedResponse(id)));
        }).WithTags("Channels");

        api.MapGet("/groups/{groupId:guid}/channels", async Task<Results<Ok<IReadOnlyList<ChannelRow>>, ProblemHttpResult>> (
            Guid groupId, HttpContext http, ChannelService channels, CancellationToken ct) =>
            (await channels.ListAsync(http.Actor(), groupId, ct)).Respond(TypedResults.Ok)).WithTags("Channels");

        api.MapPost("/channels/{id:guid}/test", async Task<Results<Ok<TestMessageResponse>, ProblemHttpResult>> (
            Guid id, HttpContext http, ChannelService channels, CancellationToken ct) =>
            (await channels.SendTestAsync(http.Actor(), id, ct)).Respond(o => TypedResults.Ok(new TestMessageResponse(o.Result, o.Response)))).WithTags("Channels");

        var lifecycle = new (string Verb, Func<ChannelService, Actor, Guid, CancellationToken, Task<Result<ChannelChanged>>> Change)[]
        {
            ("pause", (c, actor, id, ct) => c.PauseAsync(actor, id, ct)),
            ("resume", (c, actor, id, ct) => c.ResumeAsync(actor, id, ct)),
            ("deactivate", (c, actor, id, ct) => c.DeactivateAsync(actor, id, ct)),
            ("activate", (c, actor, id, ct) => c.ActivateAsync(actor, id, ct)),
        };
        foreach (var (verb, change) in lifecycle)
        {
            api.MapPost($"/channels/{{id:guid}}/{verb}", async Task<Results<Ok<ChannelChanged>, ProblemHttpResult>> (
                Guid id, HttpContext http, ChannelService channels, CancellationToken ct) =>
                (await change(channels, http.Actor(), id, ct)).Respond(TypedResults.Ok)).WithTags("Channels");
        }

        // Deleting keeps the row, so the delivery history still names the channel; it is gone from every channel endpoint.
        api.MapDelete("/channels/{id:guid}", async Task<Results<Ok<ChannelChanged>, ProblemHttpResult>> (
            Guid id, HttpContext http, ChannelService channels, CancellationToken ct) =>
            (await channels.DeleteAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok)).WithTags("Channels");

        api.MapPost("/announcements", async Task<Results<Created<CreatedResponse>, ProblemHttpResult>> (
            AnnouncementInput request, HttpContext http, AnnouncementService announcements, CancellationToken ct) =>
            (await announcements.ScheduleAsync(http.Actor(), request, ct))
                .Respond(id => TypedResults.Created($"/api/v1/announcements/{id}/deliveries", new CreatedResponse(id)))).WithTags("Announcements");

        // A picture for a post (multipart field "file"); its url goes in the announcement's "image".
        api.MapPost("/images", async Task<Results<Created<UploadedPicture>, ProblemHttpResult>> (
            IFormFile? file, HttpContext http, PostPictures pictures, PublicUrls urls, CancellationToken ct) =>
            {
                if (file is null)
                {
                    return ProblemResults.Invalid("file_required", "Send the picture as the multipart field \"file\".", "file");
                }

                await using var upload = file.OpenReadStream();
                return (await pictures.UploadAsync(http.Actor(), upload, ct)).Respond(picture =>
                {
                    var url = urls.Absolute(picture.Url, http.Request);
                    return TypedResults.Created(url, picture with { Url = url });
                });
            })
            .Accepts<IFormFile>("multipart/form-data")
            .WithTags("Announcements");

        api.MapPost("/events", async Task<Results<Created<EventScheduled>, ProblemHttpResult>> (
            EventInput request, HttpContext http, EventService events, CancellationToken ct) =>
            (await events.CreateAsync(http.Actor(), request, ct))
                .Respond(e => TypedResults.Created($"/api/v1/announcements/{e.Id}/deliveries", e))).WithTags("Events");

        api.MapGet("/events/{id:guid}", async Task<Results<Ok<EventInput>, ProblemHttpResult>> (
            Guid id, HttpContext http, EventService events, CancellationToken ct) =>
            (await events.GetAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok)).WithTags("Events");

        api.MapPut("/events/{id:guid}", async Task<Results<Ok<EventScheduled>, ProblemHttpResult>> (
            Guid id, EventInput request, HttpContext http, EventService events, CancellationToken ct) =>
            (await events.ReviseAsync(http.Actor(), id, request, ct)).Respond(TypedResults.Ok)).WithTags("Events");

        api.MapPost("/events/preview", async Task<Results<Ok<EventScheduled>, ProblemHttpResult>> (
            EventInput request, HttpContext http, EventService events, CancellationToken ct) =>
            (await events.PreviewAsync(http.Actor(), request, ct)).Respond(TypedResults.Ok)).WithTags("Events");

        // An event's countdown is its announcement: the same call cancels either.
        foreach (var path in new[] { "/announcements/{id:guid}/cancel", "/events/{id:guid}/cancel" })
        {
            api.MapPost(path, async Task<Results<Ok<CancelledAnnouncement>, ProblemHttpResult>> (
                Guid id, HttpContext http, AnnouncementService announcements, CancellationToken ct) =>
                (await announcements.CancelAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok)).WithTags("Announcements");
        }

        api.MapGet("/announcements/{id:guid}/deliveries", async Task<Results<Ok<IReadOnlyList<DeliveryRow>>, ProblemHttpResult>> (
            Guid id, HttpContext http, AnnouncementService announcements, CancellationToken ct) =>
            (await announcements.DeliveriesAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok)).WithTags("Announcements");
    }
}
