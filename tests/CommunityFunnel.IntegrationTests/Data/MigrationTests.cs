using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Data;

public sealed class MigrationTests(PostgresFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task Model_HasNoPendingChanges_ComparedWithMigrations()
    {
        await using var db = await Database.CreateDbContextAsync();

        Assert.False(db.Database.HasPendingModelChanges(), "Run 'dotnet ef migrations add' (see README).");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public async Task Initializer_IsIdempotent_WhenRunAgainAndConcurrently()
    {
        await Task.WhenAll(
            Database.Initializer.InitializeAsync(PostgresFixture.Bootstrap, seedDemo: false, Ct),
            Database.Initializer.InitializeAsync(PostgresFixture.Bootstrap, seedDemo: false, Ct));

        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, await db.Users.CountAsync(Ct));
        Assert.Equal(2, await db.Roles.CountAsync(Ct));
        Assert.Equal(9, await db.PriceBands.CountAsync(Ct)); // CNY, EUR, USD x Low, Mid, High
    }
}
