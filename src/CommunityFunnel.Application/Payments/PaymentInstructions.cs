using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Media;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Groups;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Payments;

/// <summary>How a group's members pay the host: the host's words, and the collection QR code's address (root-relative, or null).</summary>
public sealed record PaymentInstructionsView(Guid GroupId, string Text, string? QrUrl)
{
    public bool IsEmpty => Text.Length == 0 && QrUrl is null;
}

/// <summary>
/// Each group's payment instructions: edited by those who run the group, read by member pages (after a claim, on an
/// unpaid order) without an actor, as those pages are the member's.
/// </summary>
public sealed class PaymentInstructions(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public const string TextField = "paymentInstructions";
    public const string QrField = "paymentQr";

    /// <summary>What to show a member of the group, or null when the group does not exist or its host has set nothing yet.</summary>
    public async Task<PaymentInstructionsView?> ForGroupAsync(Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await ViewAsync(db, groupId, ct);
        return view is { IsEmpty: false } ? view : null;
    }

    /// <summary>The instructions as those who run the group edit them (empty when none are set).</summary>
    public async Task<Result<PaymentInstructionsView>> GetAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        return found.Failure is { } failure ? failure : (await ViewAsync(db, groupId, ct))!;
    }

    public async Task<Result<PaymentInstructionsView>> SetTextAsync(Actor actor, Guid groupId, string? text, CancellationToken ct)
    {
        if (Check(text, out var clean) is { } invalid)
        {
            return Failure.Invalid([invalid]);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        group.SetPaymentInstructions(clean);
        db.Audit(clock.GetUtcNow(), AuditCategory.Sales, actor, "group.payment_instructions_changed", group.Name, "");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("concurrent_change", "Someone else changed this group meanwhile; reload and try again.");
        }

        return (await ViewAsync(db, groupId, ct))!;
    }

    /// <summary>Checks, stores and shows the upload as the group's collection QR code, replacing the one before. Nothing changes when it fails.</summary>
    public async Task<Result<PaymentInstructionsView>> SetQrAsync(Actor actor, Guid groupId, Stream upload, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        var processed = await ImageUploads.ProcessAsync(upload, QrField, ct);
        if (processed.Value is not { } image)
        {
            return processed.Failure!;
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var previous = group.PaymentQrImageId;
        group.SetPaymentQr(ImageStore.Add(db, image, now).Id);
        db.Audit(now, AuditCategory.Sales, actor, "group.payment_qr_set", group.Name, $"{image.Width}x{image.Height} {image.ContentType}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("concurrent_change", "Someone else changed this group meanwhile; reload and try again.");
        }

        if (previous is { } old)
        {
            await ImageStore.DeleteIfUnusedAsync(db, old, ct);
        }

        await tx.CommitAsync(ct);
        return (await ViewAsync(db, groupId, ct))!;
    }

    public async Task<Result<PaymentInstructionsView>> RemoveQrAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        if (group.PaymentQrImageId is { } old)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            group.SetPaymentQr(null);
            db.Audit(clock.GetUtcNow(), AuditCategory.Sales, actor, "group.payment_qr_removed", group.Name, "");
            await db.SaveChangesAsync(ct);
            await ImageStore.DeleteIfUnusedAsync(db, old, ct);
            await tx.CommitAsync(ct);
        }

        return (await ViewAsync(db, groupId, ct))!;
    }

    /// <summary>Trims and checks instructions (several lines allowed); the error, or null when fine.</summary>
    public static RuleViolation? Check(string? text, out string clean) =>
        TextRules.CheckOptionalText(text, TextField, Group.PaymentInstructionsMaxLength, out clean);

    private static async Task<PaymentInstructionsView?> ViewAsync(CommunityFunnelDbContext db, Guid groupId, CancellationToken ct)
    {
        var row = await (
                from g in db.Groups.AsNoTracking()
                where g.Id == groupId
                from i in db.Images.Where(i => i.Id == g.PaymentQrImageId).DefaultIfEmpty()
                select new { g.PaymentInstructions, Token = i == null ? null : i.Token, ContentType = i == null ? null : i.ContentType })
            .SingleOrDefaultAsync(ct);
        return row is null ? null : new PaymentInstructionsView(groupId, row.PaymentInstructions, row.Token is null ? null : ImageLinks.PathFor(row.Token, row.ContentType!));
    }
}
