using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Audit;

public sealed record AuditRow(long Id, DateTimeOffset At, AuditCategory Category, string Actor, string Action, string Subject, string Details);

/// <summary>Admins read the audit trail; services write to it inside the same SaveChanges as the change itself.</summary>
public sealed class AuditLog(IDbContextFactory<CommunityFunnelDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    public async Task<Result<Page<AuditRow>>> ListAsync(Actor actor, AuditCategory? category, int pageIndex, int pageSize, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("the audit log");
        }

        var paging = PageRequest.Create(pageIndex, pageSize, MaxPageSize);
        if (paging.Failure is { } pagingFailure)
        {
            return pagingFailure;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AuditEntries.AsNoTracking();
        if (category is { } c)
        {
            query = query.Where(e => e.Category == c);
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(paging.Value.Offset).Take(paging.Value.Size)
            .Select(e => new AuditRow(e.Id, e.At, e.Category, e.Actor, e.Action, e.Subject, e.Details))
            .ToListAsync(ct);
        return new Page<AuditRow>(rows, total);
    }
}

internal static class AuditExtensions
{
    public static void Audit(this CommunityFunnelDbContext db, DateTimeOffset at, AuditCategory category, Actor actor, string action, string subject, string details) =>
        db.AuditEntries.Add(new AuditEntry(at, category, actor.Name, action, Truncate(subject, 256), Truncate(details, 2000)));

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
