using CommunityFunnel.Application.RedEnvelopes;
using CommunityFunnel.Application.Wallet;
using CommunityFunnel.Domain.RedEnvelopes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

public sealed record WaveRequest(int? OffsetMinutes, decimal Budget, int Packets);

public sealed record RainPayoutRequest(string? Kind, decimal? MinOrder, int? ValidDays);

public sealed record CreateRainRequest(
    IReadOnlyList<Guid>? GroupIds, Guid? EventId, DateTimeOffset? StartsAt, IReadOnlyList<WaveRequest>? Waves, RainPayoutRequest? Payout, bool? Announce);

public sealed record PacketClaimRequest(Guid? MemberId);

internal static class RedEnvelopesApi
{
    public static void MapRedEnvelopesApi(this RouteGroupBuilder api)
    {
        var tags = "Red envelopes";

        api.MapPost("/red-envelope-rains", async Task<Results<Created<RainCreated>, ProblemHttpResult>> (
                CreateRainRequest request, HttpContext http, RedEnvelopeRains rains, CancellationToken ct) =>
            {
                var payout = RainPayoutKind.Credit;
                if (request.Payout?.Kind is { } kind && !EnumInput.TryParse(kind, out payout))
                {
                    return ProblemResults.Invalid("unknown_payout_kind", "The payout kind must be Credit or Coupon.", "payout.kind");
                }

                if (request.StartsAt is not { } startsAt)
                {
                    return ProblemResults.Invalid("missing_starts_at", "Say when the rain starts (startsAt, an instant with its offset).", "startsAt");
                }

                var waves = request.Waves is { Count: > 0 } asked
                    ? asked.Select((w, i) => new WaveTerms(w.OffsetMinutes ?? RedEnvelopeRain.DefaultOffsets.ElementAtOrDefault(i), w.Budget, w.Packets)).ToList()
                    : [];
                var input = new RainInput(request.GroupIds ?? [], request.EventId, startsAt, waves,
                    new RainPayout(payout, request.Payout?.MinOrder, request.Payout?.ValidDays), request.Announce ?? false);
                return (await rains.CreateAsync(http.Actor(), input, ct)).Respond(rain => TypedResults.Created($"/api/v1/red-envelope-rains/{rain.Id}", rain));
            })
            .WithTags(tags)
            .WithSummary("Rains red envelopes on groups in the first hour after startsAt: 1-5 waves (default offsets 0, 10, 20 minutes), each group gets every wave, split once when saved.");

        // {packets, claimed, budget, claimedAmount, state, opensAt} as the contract names them, and more.
        api.MapGet("/red-envelope-waves/{id:guid}", async Task<Results<Ok<WaveView>, ProblemHttpResult>> (
                Guid id, HttpContext http, RedEnvelopeRains rains, CancellationToken ct) =>
            (await rains.WaveAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok))
            .WithTags(tags);

        api.MapPost("/red-envelope-waves/{id:guid}/claims", async Task<Results<Created<PacketClaimed>, ProblemHttpResult>> (
                Guid id, PacketClaimRequest request, HttpContext http, RedEnvelopeRains rains, CancellationToken ct) =>
            {
                if (request.MemberId is not { } memberId)
                {
                    return ProblemResults.Invalid("missing_member", "Say which member claims (memberId).", "memberId");
                }

                return (await rains.ClaimAsync(http.Actor(), id, memberId, ct)).Respond(claimed => TypedResults.Created($"/api/v1/members/{memberId}/wallet", claimed));
            })
            .WithTags(tags)
            .WithSummary("Gives the member the wave's next packet: 409 all_claimed or already_claimed, 422 not_open or not_eligible.");

        api.MapGet("/members/{id:guid}/wallet", async Task<Results<Ok<WalletView>, ProblemHttpResult>> (
                Guid id, HttpContext http, MemberWallets wallets, CancellationToken ct) =>
            (await wallets.GetAsync(http.Actor(), id, ct)).Respond(TypedResults.Ok))
            .WithTags("Members")
            .WithSummary("The member's store credit per currency (the sum of its ledger), coupons and latest credit entries.");
    }
}
