using System.Text.Json.Serialization;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Web.Account;
using CommunityFunnel.Web.Hardening;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

public sealed record CreateUserRequest(string? Email, string? Role, string? Password = null);

public sealed record UserCreatedResponse(
    string Id, string Email, string Role, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SetupUrl);

public sealed record UserResponse(
    string Id, string Email, string DisplayName, string Role, IReadOnlyList<Guid> GroupIds, bool Disabled, bool LockedOut, bool TwoFactorEnabled)
{
    internal static UserResponse From(UserRow row) =>
        new(row.Id, row.Email, row.DisplayName, row.Role, row.GroupIds, row.IsDisabled, row.IsLockedOut, row.TwoFactorEnabled);
}

public sealed record SetUserGroupsRequest(IReadOnlyList<Guid>? GroupIds);

public sealed record CreateApiKeyRequest(string? UserId, string? Name);

public sealed record ApiKeyCreatedResponse(Guid Id, string Key);

/// <summary>Account administration for integrations (admin keys only; an operator key gets 403).</summary>
internal static class UsersApi
{
    public static void MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");

        users.MapGet("/", async Task<Results<Ok<CursorPage<UserResponse>>, ProblemHttpResult>> (
            string? cursor, int? limit, HttpContext http, UserAdminService service, CancellationToken ct) =>
            (await service.ListPageAsync(http.Actor(), cursor, limit, ct))
            .Respond(page => TypedResults.Ok(new CursorPage<UserResponse>(page.Items.Select(UserResponse.From).ToList(), page.NextCursor))));

        users.MapPost("/", async Task<Results<Created<UserCreatedResponse>, ProblemHttpResult>> (
            CreateUserRequest request, HttpContext http, UserAdminService service, PublicUrls urls, CancellationToken ct) =>
        {
            var role = Roles.All.FirstOrDefault(r => string.Equals(r, request.Role, StringComparison.OrdinalIgnoreCase)) ?? request.Role ?? "";
            var result = await service.CreateAsync(http.Actor(), new UserInput(request.Email, null, request.Password, role), ct);
            return result.Respond(created => TypedResults.Created(
                $"/api/v1/users/{created.Id}",
                new UserCreatedResponse(created.Id, created.Email, created.Role,
                    created.Setup is { } setup ? urls.Absolute(AccountLinks.SetupPath(setup), http.Request) : null)));
        });

        users.MapPut("/{id}/groups", async Task<Results<Ok<UserResponse>, ProblemHttpResult>> (
            string id, SetUserGroupsRequest request, HttpContext http, UserAdminService service, CancellationToken ct) =>
        {
            if (!http.Actor().IsAdmin)
            {
                return ProblemResults.From(Failure.Forbidden("user administration"));
            }

            if (request.GroupIds is null)
            {
                return ProblemResults.Invalid("group_ids_required", "groupIds is required (an empty list removes every group).", "groupIds");
            }

            return await ThenUserAsync(await service.SetGroupsAsync(http.Actor(), id, request.GroupIds, ct), id, http, service, ct);
        });

        users.MapPost("/{id}/disable", async Task<Results<Ok<UserResponse>, ProblemHttpResult>> (
            string id, HttpContext http, UserAdminService service, CancellationToken ct) =>
            await ThenUserAsync(await service.DisableAsync(http.Actor(), id, ct), id, http, service, ct));

        users.MapPost("/{id}/enable", async Task<Results<Ok<UserResponse>, ProblemHttpResult>> (
            string id, HttpContext http, UserAdminService service, CancellationToken ct) =>
            await ThenUserAsync(await service.EnableAsync(http.Actor(), id, ct), id, http, service, ct));

        var keys = api.MapGroup("/api-keys").WithTags("Users");

        keys.MapPost("/", async Task<Results<Created<ApiKeyCreatedResponse>, ProblemHttpResult>> (
            CreateApiKeyRequest request, HttpContext http, ApiKeyService service, CancellationToken ct) =>
            (await service.CreateForUserAsync(http.Actor(), request.UserId, request.Name, ct))
            .Respond(key => TypedResults.Created($"/api/v1/api-keys/{key.Id}", new ApiKeyCreatedResponse(key.Id, key.Secret))));

        keys.MapDelete("/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (
            Guid id, HttpContext http, ApiKeyService service, CancellationToken ct) =>
            (await service.RevokeAsync(http.Actor(), id, ct)).Respond(_ => TypedResults.NoContent()));
    }

    /// <summary>After a change, the user as it now is.</summary>
    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> ThenUserAsync(
        Result<bool> changed, string id, HttpContext http, UserAdminService service, CancellationToken ct) =>
        changed.Failure is { } failure
            ? ProblemResults.From(failure)
            : (await service.GetAsync(http.Actor(), id, ct)).Respond(user => TypedResults.Ok(UserResponse.From(user)));
}
