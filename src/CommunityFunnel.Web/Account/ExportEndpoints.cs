using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Web.Api;
using Microsoft.Net.Http.Headers;

namespace CommunityFunnel.Web.Account;

internal static class ExportEndpoints
{
    /// <summary>The member CSV for a browser download: signed-in staff, checked per group like every other read; streamed.</summary>
    public static void MapExportEndpoints(this WebApplication app) =>
        app.MapGet("/groups/{groupId:guid}/members.csv", async (Guid groupId, HttpContext http, MemberCsvExporter exporter, CancellationToken ct) =>
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers[HeaderNames.ContentDisposition] = $"attachment; filename=\"members-{groupId:N}.csv\"";
            var result = await exporter.ExportAsync(Actor.From(http.User)!, groupId, http.Response.Body, ct);
            if (result.Failure is { } failure)
            {
                // The exporter checks access before it writes a byte, so the response can still become a problem.
                http.Response.Headers.Remove(HeaderNames.ContentDisposition);
                await ProblemResults.From(failure).ExecuteAsync(http);
            }
        }).RequireAuthorization(Policies.Staff);
}
