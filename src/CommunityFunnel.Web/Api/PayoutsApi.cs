using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Payouts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace CommunityFunnel.Web.Api;

public sealed record CreatePayoutRequest(string? Currency, decimal? Minimum);

public sealed record PayoutItemCreated(Guid MemberId, decimal Amount);

/// <summary>The created batch as external tools read it: its id and each partner's amount.</summary>
public sealed record PayoutCreatedResponse(Guid Id, IReadOnlyList<PayoutItemCreated> Items);

public sealed record HoldBackRequest(string? Reason);

internal static class PayoutsApi
{
    public static void MapPayoutsApi(this RouteGroupBuilder api)
    {
        var tags = "Payouts";

        api.MapPost("/payouts", async Task<Results<Created<PayoutCreatedResponse>, ProblemHttpResult>> (
                CreatePayoutRequest request, HttpContext http, PayoutService payouts, CancellationToken ct) =>
            (await payouts.CreateAsync(http.Actor(), request.Currency, request.Minimum, ct)).Respond(payout => TypedResults.Created(
                $"/api/v1/payouts/{payout.Id}", new PayoutCreatedResponse(payout.Id, [.. payout.Items.Select(i => new PayoutItemCreated(i.MemberId, i.Amount))]))))
            .WithTags(tags)
            .WithSummary("Makes a payout batch: every partner whose available balance in the currency is at least the minimum, at that balance.");

        api.MapGet("/payouts", async Task<Results<Ok<CursorPage<PayoutSummary>>, ProblemHttpResult>> (
                string? cursor, int? limit, HttpContext http, PayoutService payouts, CancellationToken ct) =>
            (await payouts.ListPageAsync(http.Actor(), cursor, limit, ct)).Respond(TypedResults.Ok))
            .WithTags(tags);

        api.MapGet("/payouts/{id:guid}", async Task<Results<Ok<PayoutDetails>, ProblemHttpResult>> (
                Guid id, HttpContext http, PayoutService payouts, CancellationToken ct) =>
            (await payouts.GetAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok))
            .WithTags(tags);

        api.MapGet("/payouts/{id:guid}/export.csv", (Guid id, HttpContext http, PayoutCsvExporter exporter, CancellationToken ct) =>
                WriteCsvAsync(id, http, exporter, ct))
            .WithTags(tags)
            .WithSummary("The included partners' transfers as CSV: name, phone, amount, currency, reference.");

        api.MapPost("/payouts/{id:guid}/paid", async Task<Results<Ok<PayoutDetails>, ProblemHttpResult>> (
                Guid id, HttpContext http, PayoutService payouts, CancellationToken ct) =>
            (await payouts.MarkPaidAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok))
            .WithTags(tags)
            .WithSummary("Marks the batch paid: one ledger entry per included partner. Repeating it changes nothing.");

        api.MapPost("/payouts/{id:guid}/cancel", async Task<Results<Ok<PayoutDetails>, ProblemHttpResult>> (
                Guid id, HttpContext http, PayoutService payouts, CancellationToken ct) =>
            (await payouts.CancelAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok))
            .WithTags(tags);

        api.MapPost("/payouts/{id:guid}/items/{memberId:guid}/hold", async Task<Results<Ok<PayoutDetails>, ProblemHttpResult>> (
                Guid id, Guid memberId, HoldBackRequest request, HttpContext http, PayoutService payouts, CancellationToken ct) =>
            (await payouts.HoldBackAsync(http.Actor(), id, memberId, request.Reason, ct)).Respond(TypedResults.Ok))
            .WithTags(tags);

        api.MapPost("/payouts/{id:guid}/items/{memberId:guid}/include", async Task<Results<Ok<PayoutDetails>, ProblemHttpResult>> (
                Guid id, Guid memberId, HttpContext http, PayoutService payouts, CancellationToken ct) =>
            (await payouts.IncludeAsync(http.Actor(), id, memberId, ct)).Respond(TypedResults.Ok))
            .WithTags(tags);
    }

    /// <summary>Streams the batch's CSV; the exporter checks access before it writes a byte, so a refusal can still be a problem.</summary>
    public static async Task WriteCsvAsync(Guid payoutId, HttpContext http, PayoutCsvExporter exporter, CancellationToken ct)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers[HeaderNames.ContentDisposition] = $"attachment; filename=\"payout-{payoutId:N}.csv\"";
        var result = await exporter.ExportAsync(http.Actor(), payoutId, http.Response.Body, ct);
        if (result.Failure is { } failure)
        {
            http.Response.Headers.Remove(HeaderNames.ContentDisposition);
            await ProblemResults.From(failure).ExecuteAsync(http);
        }
    }
}
