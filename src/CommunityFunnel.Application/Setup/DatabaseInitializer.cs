using System.Security.Cryptography;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Demo;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Domain.Pricing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.Application.Setup;

/// <summary>
/// Start-up work, safe to run on every start and on several instances: migrate, backfill what migrations cannot (phones
/// to E.164), roles, first admin, defaults, demo data.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    IServiceScopeFactory scopes,
    ApiKeyService apiKeys,
    DemoDataSeeder demo,
    StoredPhoneBackfill phones,
    ILogger<DatabaseInitializer> logger)
{
    public const string DefaultAdminEmail = "admin@communityfunnel.local";
    private const long SetupLockKey = 0x43_46_73_65_74; // "CFset"

    public async Task InitializeAsync(BootstrapOptions bootstrap, bool seedDemo, CancellationToken ct)
    {
        // Several instances may start at once: the first to take this lock sets up, the others then find it done.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({SetupLockKey})", ct);
        try
        {
            // Without this EF first reads the history table of an empty database, logging that failure as an error.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
            await db.Database.MigrateAsync(ct);
            await phones.RunAsync(ct);
            await EnsureDefaultsAsync(db, ct);
            await EnsureRolesAndAdminAsync(bootstrap, ct);
            if (!string.IsNullOrWhiteSpace(bootstrap.ApiKey))
            {
                await apiKeys.EnsureBootstrapKeyAsync(bootstrap.ApiKey, ct);
            }

            if (seedDemo)
            {
                await demo.SeedIfEmptyAsync(ct);
            }
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({SetupLockKey})", CancellationToken.None);
        }
    }

    private static async Task EnsureDefaultsAsync(CommunityFunnelDbContext db, CancellationToken ct)
    {
        if (!await db.PriceBands.AnyAsync(ct))
        {
            foreach (var currency in new[] { "CNY", "EUR", "USD" })
            {
                db.PriceBands.AddRange(TierLadder.DefaultBands(currency));
            }
        }

        if (!await db.SharingRules.AnyAsync(ct))
        {
            db.SharingRules.Add(SharingRule.Default);
        }

        await db.SaveChangesAsync(ct);
    }

    private async Task EnsureRolesAndAdminAsync(BootstrapOptions bootstrap, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return;
        }

        var email = string.IsNullOrWhiteSpace(bootstrap.AdminEmail) ? DefaultAdminEmail : bootstrap.AdminEmail.Trim();
        var password = bootstrap.AdminPassword;
        var generated = string.IsNullOrEmpty(password);
        if (generated)
        {
            password = "cf-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', 'x').Replace('/', 'y');
        }

        var admin = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator" };
        var created = await users.CreateAsync(admin, password!);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Cannot create the first admin: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(admin, Roles.Admin);
        if (generated)
        {
            // Shown exactly once, on the start that creates the account; set Bootstrap:AdminPassword to choose it instead.
            logger.LogWarning("Created the first admin {Email} with generated password {Password} (shown once; after signing in, change it at /account/password)", email, password);
        }
        else
        {
            logger.LogInformation("Created the first admin {Email} with the password from configuration", email);
        }

        ct.ThrowIfCancellationRequested();
    }
}
