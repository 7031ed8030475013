using CommunityFunnel.Application.Data;
using Npgsql;

namespace CommunityFunnel.IntegrationTests.Authorization;

/// <summary>
/// A digest of every row of every app table, to show a refused request changed nothing. The audit log is left out: a
/// refusal may rightly be recorded there.
/// </summary>
internal sealed class DatabaseFingerprint
{
    private static readonly string[] Unwatched = ["audit_entries", "data_protection_keys", "__EFMigrationsHistory"];
    private readonly string _connectionString;
    private readonly string _sql;

    private DatabaseFingerprint(string connectionString, string sql)
    {
        _connectionString = connectionString;
        _sql = sql;
    }

    public static async Task<DatabaseFingerprint> ForAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = @schema AND table_type = 'BASE TABLE' AND NOT table_name = ANY(@unwatched) ORDER BY table_name",
            connection);
        tables.Parameters.AddWithValue("schema", CommunityFunnelDbContext.Schema);
        tables.Parameters.AddWithValue("unwatched", Unwatched);
        var digests = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var table = $"\"{CommunityFunnelDbContext.Schema}\".\"{reader.GetString(0)}\"";
                digests.Add($"'{reader.GetString(0)}:' || (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t)");
            }
        }

        Assert.NotEmpty(digests);
        return new DatabaseFingerprint(connectionString, $"SELECT concat_ws(',', {string.Join(", ", digests)})");
    }

    public async Task<string> TakeAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(_sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The tables whose rows differ between two fingerprints.</summary>
    public static IEnumerable<string> Changed(string before, string after) =>
        before.Split(',').Zip(after.Split(',')).Where(pair => pair.First != pair.Second).Select(pair => pair.First.Split(':')[0]);
}
