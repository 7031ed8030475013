using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Payouts;
using CommunityFunnel.Web.Api;
using Microsoft.Net.Http.Headers;

namespace CommunityFunnel.Web.Account;

internal static class ExportEndpoints
{
    public static void MapExportEndpoints(this WebApplication app)
    {
        // The member CSV for a browser download: signed-in staff, checked per group like every other read; streamed.
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

        // A payout batch's transfers, for the admin page's download button (the API has its own, for API keys).
        app.MapGet("/admin/payouts/{payoutId:guid}/export.csv", (Guid payoutId, HttpContext http, PayoutCsvExporter exporter, CancellationToken ct) =>
            PayoutsApi.WriteCsvAsync(payoutId, http, exporter, ct)).RequireAuthorization(Policies.Admin);
    }
}
