using CommunityFunnel.Application.Media;
using Microsoft.Net.Http.Headers;

namespace CommunityFunnel.Web.Media;

internal static class MediaEndpoints
{
    /// <summary>
    /// Stored pictures, public: chat platforms fetch them for posts and member pages show them. The address is unguessable
    /// and its content never changes (a new upload gets a new address), so caches may keep it for a year.
    /// </summary>
    public static void MapMediaEndpoints(this WebApplication app) =>
        app.MapGet(ImageLinks.Prefix + "{fileName}", async Task<IResult> (string fileName, HttpContext http, ImageLibrary images, CancellationToken ct) =>
            {
                var image = await images.FindAsync(fileName, ct);
                if (image is null)
                {
                    return TypedResults.NotFound();
                }

                var headers = http.Response.Headers;
                headers.CacheControl = "public, max-age=31536000, immutable";
                headers.XContentTypeOptions = "nosniff";
                headers.ContentDisposition = "inline";
                return TypedResults.Bytes(image.Content, image.ContentType, lastModified: image.CreatedAt, entityTag: new EntityTagHeaderValue($"\"{image.Token}\""));
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
}
