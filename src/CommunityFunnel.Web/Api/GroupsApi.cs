using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Payments;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Web.Groups;
using CommunityFunnel.Web.Hardening;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

public sealed record CreateGroupRequest(
    string? Name,
    string? TimeZone,
    string? Currency,
    string? Platform = null,
    int? Capacity = null,
    string? AudienceNotes = null,
    IReadOnlyList<string>? Rules = null,
    string? Language = null,
    string? HostContact = null,
    string? Country = null);

/// <summary>The settings to change; those left out stay as they are.</summary>
public sealed record UpdateGroupRequest(
    string? Name = null,
    string? TimeZone = null,
    string? Currency = null,
    string? Platform = null,
    int? Capacity = null,
    string? AudienceNotes = null,
    IReadOnlyList<string>? Rules = null,
    string? Language = null,
    string? HostContact = null,
    string? Country = null,
    string? PaymentInstructions = null);

public sealed record CreatedResponse(Guid Id);

public sealed record JoinLinkResponse(string JoinUrl);

internal static class GroupsApi
{
    public static void MapGroupsApi(this RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/groups").WithTags("Groups");

        groups.MapPost("/", async Task<Results<Created<CreatedResponse>, ProblemHttpResult>> (
            CreateGroupRequest request, HttpContext http, GroupService service, CancellationToken ct) =>
        {
            var platform = ChatPlatform.Other;
            if (request.Platform is not null && !EnumInput.TryParse(request.Platform, out platform))
            {
                return UnknownPlatform();
            }

            var input = new GroupInput(request.Name, platform, request.TimeZone, request.Currency, request.Capacity, request.AudienceNotes, request.Rules,
                request.Language, request.HostContact, request.Country);
            var result = await service.CreateAsync(http.Actor(), input, ct);
            return result.Respond(id => TypedResults.Created($"/api/v1/groups/{id}", new CreatedResponse(id)));
        });

        groups.MapPatch("/{id:guid}", async Task<Results<Ok<GroupDetails>, ProblemHttpResult>> (
            Guid id, UpdateGroupRequest request, HttpContext http, GroupService service, PublicUrls urls, CancellationToken ct) =>
        {
            ChatPlatform? platform = null;
            if (request.Platform is not null)
            {
                if (!EnumInput.TryParse<ChatPlatform>(request.Platform, out var parsed))
                {
                    return UnknownPlatform();
                }

                platform = parsed;
            }

            var changes = new GroupChanges(request.Name, platform, request.TimeZone, request.Currency, request.Capacity, request.AudienceNotes, request.Rules,
                request.Language, request.HostContact, request.Country, request.PaymentInstructions);
            var changed = await service.ChangeAsync(http.Actor(), id, changes, ct);
            if (changed.Failure is { } failure)
            {
                return ProblemResults.From(failure);
            }

            return (await service.GetAsync(http.Actor(), id, ct)).Respond(group => TypedResults.Ok(WithLinks(group, urls, http.Request)));
        });

        groups.MapGet("/{id:guid}", async Task<Results<Ok<GroupDetails>, ProblemHttpResult>> (
            Guid id, HttpContext http, GroupService service, PublicUrls urls, CancellationToken ct) =>
            (await service.GetAsync(http.Actor(), id, ct)).Respond(group => TypedResults.Ok(WithLinks(group, urls, http.Request))));

        // The host's collection QR code, shown to members with the payment instructions: an image upload (multipart field "file").
        groups.MapPost("/{id:guid}/payment-qr", async Task<Results<Ok<PaymentInstructionsView>, ProblemHttpResult>> (
            Guid id, IFormFile? file, HttpContext http, PaymentInstructions payments, PublicUrls urls, CancellationToken ct) =>
            {
                if (file is null)
                {
                    return ProblemResults.Invalid("file_required", "Send the QR code picture as the multipart field \"file\".", "file");
                }

                await using var upload = file.OpenReadStream();
                return (await payments.SetQrAsync(http.Actor(), id, upload, ct)).Respond(view => TypedResults.Ok(WithLinks(view, urls, http.Request)));
            })
            .Accepts<IFormFile>("multipart/form-data");

        groups.MapDelete("/{id:guid}/payment-qr", async Task<Results<Ok<PaymentInstructionsView>, ProblemHttpResult>> (
            Guid id, HttpContext http, PaymentInstructions payments, PublicUrls urls, CancellationToken ct) =>
            (await payments.RemoveQrAsync(http.Actor(), id, ct)).Respond(view => TypedResults.Ok(WithLinks(view, urls, http.Request))));

        // A new join link; the old one stops admitting anyone (its page says so).
        groups.MapPost("/{id:guid}/join-link", async Task<Results<Ok<JoinLinkResponse>, ProblemHttpResult>> (
            Guid id, HttpContext http, GroupService service, PublicUrls urls, CancellationToken ct) =>
            (await service.RenewJoinLinkAsync(http.Actor(), id, ct)).Respond(code => TypedResults.Ok(new JoinLinkResponse(urls.JoinUrl(code, http.Request)))));

        groups.MapGet("/{id:guid}/join-qr", (Guid id, string? format, HttpContext http, GroupService service, PublicUrls urls, CancellationToken ct) =>
            JoinLinkEndpoints.QrAsync(http.Actor(), id, format, http.Request, service, urls, download: false, ct))
            .Produces(StatusCodes.Status200OK, contentType: "image/png", additionalContentTypes: ["image/svg+xml"]);

        groups.MapGet("/", async Task<Results<Ok<CursorPage<GroupRow>>, ProblemHttpResult>> (
            bool? includeArchived, string? cursor, int? limit, HttpContext http, GroupService service, CancellationToken ct) =>
            (await service.ListPageAsync(http.Actor(), includeArchived ?? false, cursor, limit, ct)).Respond(TypedResults.Ok));
    }

    private static GroupDetails WithLinks(GroupDetails group, PublicUrls urls, HttpRequest request) => group with
    {
        JoinUrl = urls.JoinUrl(group.JoinCode, request),
        PaymentQrUrl = group.PaymentQrUrl is { } qr ? urls.Absolute(qr, request) : null,
    };

    private static PaymentInstructionsView WithLinks(PaymentInstructionsView view, PublicUrls urls, HttpRequest request) =>
        view with { QrUrl = view.QrUrl is { } qr ? urls.Absolute(qr, request) : null };

    private static ProblemHttpResult UnknownPlatform() =>
        ProblemResults.Invalid("unknown_platform", "Platform must be one of WeCom, WeChat, Telegram, Discord, Slack, Other.", "platform");
}
