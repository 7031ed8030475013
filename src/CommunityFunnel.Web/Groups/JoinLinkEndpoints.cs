using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Sharing;
using CommunityFunnel.Web.Api;
using CommunityFunnel.Web.Hardening;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Groups;

internal static class JoinLinkEndpoints
{
    /// <summary>
    /// The join QR code as a file download from the group's page: signed-in staff, checked per group like the API. Typed as a
    /// plain <see cref="IResult"/> on purpose: a typed problem result would mark it an API endpoint, which sign-in answers
    /// with 401 instead of sending the browser to the sign-in page.
    /// </summary>
    public static void MapJoinLinkEndpoints(this WebApplication app)
    {
        app.MapGet("/groups/{groupId:guid}/join-qr", async Task<IResult> (Guid groupId, string? format, HttpContext http, GroupService groups, PublicUrls urls, CancellationToken ct) =>
                await QrAsync(Actor.From(http.User)!, groupId, format, http.Request, groups, urls, download: true, ct))
            .RequireAuthorization(Policies.Staff);

        // The group's join poster, shown on its page and downloaded from there; drawing one takes a while, so it is rate limited per user.
        app.MapGet("/groups/{groupId:guid}/join-poster", async Task<IResult> (
                Guid groupId, HttpContext http, SharingService sharing, PosterRenderer posters, PublicUrls urls, CancellationToken ct) =>
            {
                var poster = await sharing.GroupPosterAsync(Actor.From(http.User)!, groupId, ct);
                return poster.Value is { } subject
                    ? TypedResults.File(posters.Render(subject.Content(urls.Absolute(subject.LinkPath, http.Request))), "image/png", $"join-poster-{groupId:N}.png")
                    : ProblemResults.From(poster.Failure!);
            })
            .RequireAuthorization(Policies.Staff)
            .RequireRateLimiting(RateLimitRegistration.Api);
    }

    /// <summary>The group's absolute join link, on the public address.</summary>
    public static string JoinUrl(this PublicUrls urls, string joinCode, HttpRequest request) => urls.Absolute(JoinLinks.PathFor(joinCode), request);

    /// <summary>The QR code of the group's current join link, as PNG (the default) or SVG.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> QrAsync(
        Actor actor, Guid groupId, string? format, HttpRequest request, GroupService groups, PublicUrls urls, bool download, CancellationToken ct)
    {
        var chosen = (format ?? JoinQrCode.Png).Trim().ToLowerInvariant();
        if (!JoinQrCode.IsFormat(chosen))
        {
            return ProblemResults.Invalid("invalid_format", "Format must be png or svg.", "format");
        }

        var code = await groups.JoinCodeAsync(actor, groupId, ct);
        if (code.Failure is { } failure)
        {
            return ProblemResults.From(failure);
        }

        var image = JoinQrCode.Render(urls.JoinUrl(code.Value!, request), chosen);
        return TypedResults.File(image, JoinQrCode.ContentType(chosen), download ? $"join-qr-{groupId:N}.{chosen}" : null);
    }
}
