using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Web.Hardening;
using CommunityFunnel.Domain.Members;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

public sealed record MemberCreatedResponse(Guid Id, FunnelStage Stage);

public sealed record MoveStageRequest(string? Stage, string? Reason);

public sealed record CreateLinkRequest(Guid? GroupId);

public sealed record PersonalLinkResponse(string Url, DateTimeOffset ExpiresAt);

public sealed record SessionsRevokedResponse(Guid MemberId, int LinksWithdrawn);

internal static class MembersApi
{
    public static void MapMembersApi(this RouteGroupBuilder api)
    {
        var tags = "Members";

        api.MapPost("/groups/{groupId:guid}/members", async Task<Results<Created<MemberCreatedResponse>, Ok<MemberCreatedResponse>, ProblemHttpResult>> (
            Guid groupId, MemberInput request, HttpContext http, MemberService service, CancellationToken ct) =>
        {
            var result = await service.AddToGroupAsync(http.Actor(), groupId, request, ct);
            if (result.Failure is { } failure)
            {
                return ProblemResults.From(failure);
            }

            var saved = result.Value!;
            var body = new MemberCreatedResponse(saved.Id, saved.Stage);
            return saved.Created ? TypedResults.Created($"/api/v1/members/{saved.Id}", body) : TypedResults.Ok(body);
        }).WithTags(tags);

        api.MapGet("/groups/{groupId:guid}/members", async Task<Results<Ok<Page<MemberRow>>, ProblemHttpResult>> (
            Guid groupId, string? search, string? stage, int? page, int? pageSize, HttpContext http, MemberDirectory directory, CancellationToken ct) =>
        {
            FunnelStage? stageFilter = null;
            if (stage is not null)
            {
                if (!EnumInput.TryParse<FunnelStage>(stage, out var parsed))
                {
                    return ProblemResults.Invalid("unknown_stage", "Stage must be Free, Low, Mid, High or Sharing.", "stage");
                }

                stageFilter = parsed;
            }

            var paging = PageRequest.FromPageNumber(page, pageSize, defaultSize: 50, MemberDirectory.MaxPageSize);
            if (paging.Failure is { } pagingFailure)
            {
                return ProblemResults.From(pagingFailure);
            }

            var query = new MemberQuery(search, stageFilter, PageIndex: paging.Value.Index, PageSize: paging.Value.Size);
            return (await directory.ListAsync(http.Actor(), groupId, query, ct)).Respond(TypedResults.Ok);
        }).WithTags(tags);

        api.MapGet("/members/{id:guid}", async Task<Results<Ok<MemberProfile>, ProblemHttpResult>> (
            Guid id, HttpContext http, MemberDirectory directory, CancellationToken ct) =>
            (await directory.GetProfileAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok)).WithTags(tags);

        api.MapPost("/members/{id:guid}/stage", async Task<Results<Ok<MemberCreatedResponse>, ProblemHttpResult>> (
            Guid id, MoveStageRequest request, HttpContext http, MemberService service, CancellationToken ct) =>
        {
            if (!EnumInput.TryParse<FunnelStage>(request.Stage, out var stage))
            {
                return ProblemResults.Invalid("unknown_stage", "Stage must be Free, Low, Mid, High or Sharing.", "stage");
            }

            var result = await service.MoveStageAsync(http.Actor(), id, stage, request.Reason, ct);
            return result.Respond(_ => TypedResults.Ok(new MemberCreatedResponse(id, stage)));
        }).WithTags(tags);

        // A single-use personal link whose session sees only the given group of the member.
        api.MapPost("/members/{id:guid}/links", async Task<Results<Created<PersonalLinkResponse>, ProblemHttpResult>> (
            Guid id, CreateLinkRequest request, HttpContext http, MemberLinks links, PublicUrls urls, CancellationToken ct) =>
        {
            if (request.GroupId is not { } groupId)
            {
                return ProblemResults.Invalid("group_required", "Name the group whose pages the link opens.", "groupId");
            }

            var result = await links.CreateAsync(http.Actor(), id, groupId, ct);
            return result.Respond(link => TypedResults.Created((string?)null,
                new PersonalLinkResponse(urls.Absolute($"/m/{link.Token}", http.Request), link.ExpiresAt)));
        }).WithTags(tags);

        api.MapPost("/members/{id:guid}/revoke-sessions", async Task<Results<Ok<SessionsRevokedResponse>, ProblemHttpResult>> (
            Guid id, HttpContext http, MemberLinks links, CancellationToken ct) =>
            (await links.RevokeAllAsync(http.Actor(), id, ct)).Respond(withdrawn => TypedResults.Ok(new SessionsRevokedResponse(id, withdrawn)))).WithTags(tags);
    }
}
