using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Payouts;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Payouts;

/// <summary>
/// Admins pay partners their available rebates in batches: make one for a currency and a minimum, export it for the
/// bank or WeChat transfers, hold back whoever should wait, and mark it paid, which writes the ledger's payout entries.
/// </summary>
public sealed class PayoutService(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxListed = 200;

    /// <summary>
    /// A draft batch of every partner whose available balance in <paramref name="currency"/> is at least
    /// <paramref name="minimum"/> and who is in no other unpaid batch of it, each at that balance, fixed from now on.
    /// </summary>
    public async Task<Result<PayoutDetails>> CreateAsync(Actor actor, string? currency, decimal? minimum, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("payouts");
        }

        var errors = new List<RuleViolation>();
        var normalized = "";
        if (string.IsNullOrWhiteSpace(currency))
        {
            errors.Add(new RuleViolation("unknown_currency", "Name the payout's currency.", "currency"));
        }
        else if (Currencies.Check(currency, "currency", out normalized) is { } unknown)
        {
            errors.Add(unknown);
        }

        var minorUnit = errors.Count == 0 ? Currencies.MinorUnit(normalized) : 0.01m;
        if (minimum is not { } least || least <= 0 || least % minorUnit != 0)
        {
            errors.Add(new RuleViolation("invalid_minimum",
                $"The minimum must be more than zero, in whole {(minorUnit == 1m ? "units" : "cents")} of the currency.", "minimum"));
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One batch of a currency at a time, on every instance: the next one, once this commits, finds its members taken.
        // The unique index on open items stays the guard underneath.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"payouts:" + normalized}, 0))", ct);
        var partners = await RebateAccounts.AvailableBalances(db, normalized)
            .Where(b => b.Available >= minimum!.Value)
            .Where(b => !db.PayoutItems.Any(i => i.IsOpen && i.Currency == normalized && i.MemberId == b.MemberId))
            .OrderBy(b => b.MemberId)
            .ToListAsync(ct);
        if (partners.Count == 0)
        {
            return Failure.Unprocessable("nothing_to_pay",
                $"No partner has {minimum} {normalized} or more available outside an unpaid payout.", "minimum");
        }

        var now = clock.GetUtcNow();
        var payout = new Payout(normalized, minimum!.Value, partners.Select(p => (p.MemberId, p.Available)), now, actor.Name);
        db.Payouts.Add(payout);
        db.Audit(now, AuditCategory.Payouts, actor, "payout.created", SubjectOf(payout), $"{partners.Count} partners, {payout.Total} {normalized}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await DetailsAsync(db, payout.Id, ct))!;
    }

    /// <summary>The latest batches, newest first, for the admin page.</summary>
    public async Task<Result<IReadOnlyList<PayoutSummary>>> ListLatestAsync(Actor actor, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("payouts");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Summaries(db.Payouts.OrderByDescending(p => p.Id).Take(MaxListed)).ToListAsync(ct);
    }

    /// <summary>Every batch, oldest first, a page at a time (keyset paging on the id, as the API's other lists).</summary>
    public async Task<Result<CursorPage<PayoutSummary>>> ListPageAsync(Actor actor, string? cursor, int? limit, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("payouts");
        }

        var request = Cursor.ReadIdPage("payouts", cursor, limit);
        if (request.Failure is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var payouts = db.Payouts.AsQueryable();
        if (request.Value.After is { } after)
        {
            payouts = payouts.Where(p => p.Id.CompareTo(after) > 0);
        }

        var rows = await Summaries(payouts.OrderBy(p => p.Id).Take(request.Value.Limit + 1)).ToListAsync(ct);
        return Cursor.PageById("payouts", rows, request.Value.Limit, r => r.Id);
    }

    public async Task<Result<PayoutDetails>> GetAsync(Actor actor, Guid payoutId, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("payouts");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await DetailsAsync(db, payoutId, ct) is { } details ? details : Failure.NotFound("The payout");
    }

    /// <summary>
    /// The transfers were made: one ledger entry per included item, in the same transaction as the batch's change. A
    /// second call, or one racing it on another instance, finds the batch paid and changes nothing.
    /// </summary>
    public Task<Result<PayoutDetails>> MarkPaidAsync(Actor actor, Guid payoutId, CancellationToken ct) =>
        ChangeAsync(actor, payoutId, (db, payout, now) =>
        {
            var payment = payout.MarkPaid(now, actor.Name);
            if (payment.Outcome == PayoutChangeOutcome.Changed)
            {
                db.RebateEntries.AddRange(payment.LedgerEntries);
                db.Audit(now, AuditCategory.Payouts, actor, "payout.paid", SubjectOf(payout),
                    $"{payment.LedgerEntries.Count} partners paid {payout.Total} {payout.Currency}");
            }

            return payment.Outcome;
        }, ct);

    public Task<Result<PayoutDetails>> CancelAsync(Actor actor, Guid payoutId, CancellationToken ct) =>
        ChangeAsync(actor, payoutId, (db, payout, now) =>
        {
            var outcome = payout.Cancel(now);
            if (outcome == PayoutChangeOutcome.Changed)
            {
                db.Audit(now, AuditCategory.Payouts, actor, "payout.cancelled", SubjectOf(payout), $"{payout.Items.Count} partners, nothing paid");
            }

            return outcome;
        }, ct);

    /// <summary>Keeps a partner out of this batch's transfers, saying why; they are not paid with it.</summary>
    public async Task<Result<PayoutDetails>> HoldBackAsync(Actor actor, Guid payoutId, Guid memberId, string? reason, CancellationToken ct)
    {
        reason = reason?.Trim() ?? "";
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("payouts");
        }

        if (reason.Length == 0)
        {
            return Failure.Invalid("reason_required", "Say why the payout is held back.", "reason");
        }

        if (reason.Length > PayoutItem.MaxHoldReasonLength)
        {
            return Failure.Invalid("reason_too_long", $"The reason may be at most {PayoutItem.MaxHoldReasonLength} characters.", "reason");
        }

        return await ChangeItemAsync(actor, payoutId, memberId, payout => payout.HoldBack(memberId, reason), "payout.held-back", $"held back: {reason}", ct);
    }

    /// <summary>Puts a held-back partner back into the batch.</summary>
    public Task<Result<PayoutDetails>> IncludeAsync(Actor actor, Guid payoutId, Guid memberId, CancellationToken ct) =>
        ChangeItemAsync(actor, payoutId, memberId, payout => payout.Include(memberId), "payout.included", "included again", ct);

    internal static async Task<PayoutDetails?> DetailsAsync(CommunityFunnelDbContext db, Guid payoutId, CancellationToken ct)
    {
        var payout = await db.Payouts.AsNoTracking().Include(p => p.Items).SingleOrDefaultAsync(p => p.Id == payoutId, ct);
        if (payout is null)
        {
            return null;
        }

        var memberIds = payout.Items.Select(i => i.MemberId).ToList();
        var members = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id))
            .Select(m => new { m.Id, m.DisplayName, m.Phone })
            .ToDictionaryAsync(m => m.Id, ct);
        var available = await RebateAccounts.AvailableBalances(db, payout.Currency).Where(b => memberIds.Contains(b.MemberId))
            .ToDictionaryAsync(b => b.MemberId, b => b.Available, ct);
        var items = payout.Items
            .Select(i => new PayoutItemView(i.MemberId, members[i.MemberId].DisplayName, members[i.MemberId].Phone, i.Amount, i.Reference, i.Status, i.HoldReason,
                available.GetValueOrDefault(i.MemberId)))
            .OrderBy(i => i.Name, StringComparer.CurrentCulture).ThenBy(i => i.MemberId)
            .ToList();
        return new PayoutDetails(payout.Id, payout.Currency, payout.Minimum, payout.Status, payout.CreatedAt, payout.CreatedBy,
            payout.PaidAt, payout.PaidBy, payout.CancelledAt, payout.Total, items);
    }

    private static IQueryable<PayoutSummary> Summaries(IQueryable<Payout> ordered) =>
        ordered.AsNoTracking().Select(p => new PayoutSummary(p.Id, p.Currency, p.Minimum, p.Status, p.CreatedAt, p.PaidAt,
            p.Items.Count,
            p.Items.Count(i => i.Status == PayoutItemStatus.HeldBack),
            p.Items.Where(i => i.Status == PayoutItemStatus.Included).Sum(i => i.Amount)));

    private static string SubjectOf(Payout payout) => $"{payout.Currency} payout {payout.Id}";

    private Task<Result<PayoutDetails>> ChangeItemAsync(Actor actor, Guid payoutId, Guid memberId, Func<Payout, PayoutChangeOutcome> change,
        string action, string details, CancellationToken ct) =>
        ChangeAsync(actor, payoutId, (db, payout, now) =>
        {
            if (payout.ItemOf(memberId) is null)
            {
                return Failure.NotFound("The partner in this payout");
            }

            var outcome = change(payout);
            if (outcome == PayoutChangeOutcome.Changed)
            {
                db.Audit(now, AuditCategory.Payouts, actor, action, SubjectOf(payout), $"member {memberId}: {details}");
            }

            return outcome;
        }, ct);

    /// <summary>
    /// Locks the batch's row, loads it with its items, applies one change and saves it, in one transaction: a second
    /// "paid" (on any instance) waits for the first and then finds the batch paid. Row versions on the batch and every
    /// item, and the ledger's unique (kind, source, member, level), are the guards underneath.
    /// </summary>
    private async Task<Result<PayoutDetails>> ChangeAsync(Actor actor, Guid payoutId,
        Func<CommunityFunnelDbContext, Payout, DateTimeOffset, Result<PayoutChangeOutcome>> change, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("payouts");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM funnel.payouts WHERE id = {payoutId} FOR UPDATE", ct);
        var payout = await db.Payouts.Include(p => p.Items).SingleOrDefaultAsync(p => p.Id == payoutId, ct);
        if (payout is null)
        {
            return Failure.NotFound("The payout");
        }

        var changed = change(db, payout, clock.GetUtcNow());
        if (changed.Failure is { } refused)
        {
            return refused;
        }

        if (Refusal(payout, changed.Value) is { } failure)
        {
            return failure;
        }

        if (changed.Value == PayoutChangeOutcome.Changed)
        {
            try
            {
                await db.SaveChangesAsync(ct); // the PaidOut entries and the PayoutPaid events go in this transaction
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
            {
                return Failure.Conflict("concurrent_change", "Someone else changed this payout at the same moment; reload and try again.");
            }
        }

        return (await DetailsAsync(db, payoutId, ct))!;
    }

    private static Failure? Refusal(Payout payout, PayoutChangeOutcome outcome) => outcome switch
    {
        PayoutChangeOutcome.NotAllowed when payout.Status == PayoutStatus.Paid =>
            Failure.Conflict("payout_paid", "The payout has been marked paid; it can no longer change."),
        PayoutChangeOutcome.NotAllowed => Failure.Conflict("payout_cancelled", "The payout was cancelled; make a new one."),
        PayoutChangeOutcome.NothingIncluded => Failure.Unprocessable("nothing_included",
            "Every partner in this payout is held back: include one, or cancel the payout."),
        _ => null,
    };
}
