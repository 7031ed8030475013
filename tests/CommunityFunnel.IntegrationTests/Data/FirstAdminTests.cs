using CommunityFunnel.Application;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Setup;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.IntegrationTests.Data;

public sealed class FirstAdminTests(PostgresFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task FirstStart_WithoutAConfiguredPassword_LogsAGeneratedOneOnce_ThatSignsIn()
    {
        await using (var db = await Database.CreateDbContextAsync())
        {
            await db.Users.ExecuteDeleteAsync(Ct);
        }

        var log = new CapturingLoggerProvider();
        await using var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(log))
            .AddCommunityFunnelApplication(Database.ConnectionString)
            .BuildServiceProvider();
        var initializer = services.GetRequiredService<DatabaseInitializer>();

        await initializer.InitializeAsync(new BootstrapOptions { AdminEmail = "owner@shop.example" }, seedDemo: false, Ct);
        await initializer.InitializeAsync(new BootstrapOptions { AdminEmail = "owner@shop.example" }, seedDemo: false, Ct);

        var announcement = Assert.Single(log.Messages, m => m.Contains("generated password", StringComparison.Ordinal));
        var password = announcement.Split("generated password ")[1].Split(' ')[0];
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var owner = await users.FindByEmailAsync("owner@shop.example");
        Assert.True(await users.CheckPasswordAsync(owner!, password));
        Assert.True(await users.IsInRoleAsync(owner!, Roles.Admin));
        Assert.True(password.Length >= DependencyInjection.MinimumPasswordLength);
    }
}
