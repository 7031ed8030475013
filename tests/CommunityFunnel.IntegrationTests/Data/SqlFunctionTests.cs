using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CommunityFunnel.Application.Data;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.IntegrationTests.Data;

/// <summary>What the database runs is what the files say: no function body lives only in a migration string.</summary>
public sealed partial class SqlFunctionTests(PostgresFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task EveryFunctionInTheDatabase_IsTheNewestVersionOfItsFile_AndEveryFileIsDeployed()
    {
        var files = NewestDefinitions();
        await using var db = await Database.CreateDbContextAsync();
        var deployed = await db.Database.SqlQuery<DeployedFunction>($"""
            SELECT p.proname AS name, p.prosrc AS body
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'funnel'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
            """).ToListAsync(Ct);

        Assert.Equal(files.Keys.Order(), deployed.Select(f => f.Name).Order());
        Assert.All(deployed, function => Assert.Equal(files[function.Name], function.Body));
    }

    /// <summary>
    /// A version some database has run never changes (its migration will not run again there): a change is a new
    /// version, a migration that loads it, and a line here.
    /// </summary>
    private static readonly Dictionary<string, string> ReleasedVersions = new()
    {
        ["claim_flash_sale.v1.sql"] = "658d546235c8ee2b",
        ["credit_entries_append_only.v1.sql"] = "f7265fb9197811b5",
        ["expire_flash_reservations.v1.sql"] = "c9137188b3b544f8",
        ["expire_flash_reservations.v2.sql"] = "e584f3b17763484e",
        ["hold_member_stage.v1.sql"] = "5da808ae4e63fd61",
        ["rebate_entries_append_only.v1.sql"] = "8b1572cf315c22b7",
        ["rebate_entries_append_only.v2.sql"] = "a53e03639c2d1c2b",
        ["return_flash_units.v1.sql"] = "f38fc4c143274e93",
    };

    [Fact]
    public void EveryVersionedFile_IsPinned_AndNoneChangedSinceRelease()
    {
        var versioned = SqlResources().Where(r => Versioned().IsMatch(r)).ToDictionary(r => string.Join('.', r.Split('.')[^3..]));

        Assert.Equal(ReleasedVersions.Keys.Order(), versioned.Keys.Order());
        Assert.All(ReleasedVersions, pinned =>
        {
            using var stream = typeof(SqlFunctions).Assembly.GetManifestResourceStream(versioned[pinned.Key])!;
            Assert.StartsWith(pinned.Value, Convert.ToHexStringLower(SHA256.HashData(stream)), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void NoSqlFile_SpellsOutTheStageOrder_ItComesFromTheEnum()
    {
        Assert.Equal("ARRAY['Free', 'Low', 'Mid', 'High', 'Sharing']", SqlFunctions.StageOrder);
        Assert.All(SqlResources(), resource => Assert.DoesNotMatch(StageList(), Read(resource, render: false)));
        Assert.Contains(SqlResources(), resource => Read(resource, render: false).Contains(SqlFunctions.StageOrderPlaceholder, StringComparison.Ordinal));
    }

    private sealed record DeployedFunction(string Name, string Body);

    /// <summary>Each function's body as its highest-versioned file defines it ("name.v2.sql" over "name.v1.sql").</summary>
    private static Dictionary<string, string> NewestDefinitions() =>
        SqlResources()
            .SelectMany(resource => FunctionDefinition().Matches(Read(resource, render: true))
                .Select(match => (Name: match.Groups["name"].Value, Body: match.Groups["body"].Value, Version: VersionOf(resource))))
            .GroupBy(definition => definition.Name)
            .ToDictionary(group => group.Key, group => group.MaxBy(definition => definition.Version).Body);

    private static int VersionOf(string resource) => Versioned().Match(resource) is { Success: true } match ? int.Parse(match.Groups["version"].Value) : 0;

    private static IEnumerable<string> SqlResources() =>
        typeof(SqlFunctions).Assembly.GetManifestResourceNames().Where(name => name.EndsWith(".sql", StringComparison.Ordinal));

    private static string Read(string resource, bool render)
    {
        using var reader = new StreamReader(typeof(SqlFunctions).Assembly.GetManifestResourceStream(resource)!);
        var text = reader.ReadToEnd();
        return render ? SqlFunctions.Render(text) : text;
    }

    [GeneratedRegex(@"CREATE OR REPLACE FUNCTION funnel\.(?<name>\w+)\(.*?\bAS (?<tag>\$\w*\$)(?<body>.*?)\k<tag>", RegexOptions.Singleline)]
    private static partial Regex FunctionDefinition();

    [GeneratedRegex(@"\.v(?<version>\d+)\.sql$")]
    private static partial Regex Versioned();

    [GeneratedRegex(@"'Free',\s*'Low'")]
    private static partial Regex StageList();
}
