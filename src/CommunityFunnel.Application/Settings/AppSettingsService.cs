using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Settings;

public sealed record AppSettingsView(bool OperatorsMayCreateGroups);

public sealed class AppSettingsService(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public async Task<AppSettingsView> GetAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CurrentSettingsAsync(ct);
    }

    public async Task<Result<AppSettingsView>> SetOperatorsMayCreateGroupsAsync(Actor actor, bool allowed, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("the settings");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.AppSettings.SingleOrDefaultAsync(s => s.Id == AppSettings.SingletonId, ct);
        if (settings is null)
        {
            settings = AppSettings.Defaults;
            db.AppSettings.Add(settings);
        }

        if (settings.AllowOperatorsToCreateGroups(allowed))
        {
            db.Audit(clock.GetUtcNow(), AuditCategory.Access, actor, "settings.changed", "Operators may create groups", allowed ? "on" : "off");
        }

        await db.SaveChangesAsync(ct);
        return new AppSettingsView(settings.OperatorsMayCreateGroups);
    }
}

internal static class AppSettingsQueries
{
    /// <summary>The saved settings, or the defaults while no admin has changed any.</summary>
    public static async Task<AppSettingsView> CurrentSettingsAsync(this CommunityFunnelDbContext db, CancellationToken ct) =>
        await db.AppSettings.AsNoTracking().Where(s => s.Id == AppSettings.SingletonId)
            .Select(s => new AppSettingsView(s.OperatorsMayCreateGroups))
            .SingleOrDefaultAsync(ct)
        ?? new AppSettingsView(AppSettings.Defaults.OperatorsMayCreateGroups);
}
