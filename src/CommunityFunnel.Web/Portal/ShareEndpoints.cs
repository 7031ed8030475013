using CommunityFunnel.Application.Sharing;
using CommunityFunnel.Web.Hardening;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Portal;

/// <summary>
/// A member's share link as pictures to save and post: its QR code and a poster. Only for the member's own session and
/// their own groups; anyone else gets 404, as for a group that does not exist.
/// </summary>
internal static class ShareEndpoints
{
    public static void MapShareEndpoints(this WebApplication app)
    {
        app.MapGet("/me/share/{groupId:guid}/qr", async Task<Results<FileContentHttpResult, NotFound>> (
                Guid groupId, HttpContext http, SharingService sharing, PublicUrls urls, CancellationToken ct) =>
                MemberSession.SignedInMember(http) is { } session && await sharing.MemberLinkAsync(session, groupId, ct) is { } link
                    ? TypedResults.File(QrCodes.Png(urls.Absolute(link.LinkPath, http.Request)), "image/png")
                    : TypedResults.NotFound())
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitRegistration.Member);

        app.MapGet("/me/share/{groupId:guid}/poster", async Task<Results<FileContentHttpResult, NotFound>> (
                Guid groupId, HttpContext http, SharingService sharing, PosterRenderer posters, PublicUrls urls, CancellationToken ct) =>
                MemberSession.SignedInMember(http) is { } session && await sharing.MemberPosterAsync(session, groupId, ct) is { } poster
                    ? TypedResults.File(posters.Render(poster.Content(urls.Absolute(poster.LinkPath, http.Request))), "image/png", "share-poster.png")
                    : TypedResults.NotFound())
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitRegistration.Member);
    }
}
