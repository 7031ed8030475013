using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Npgsql;

namespace CommunityFunnel.IntegrationTests.App;

/// <summary>On a database of its own: the shared test database already holds keys written without a certificate.</summary>
public sealed class KeyRingEncryptionTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly string _databaseName = $"cf_keys_{Guid.NewGuid():N}";
    private readonly string _certificateFile = Path.Combine(Path.GetTempPath(), $"cf-keys-{Guid.NewGuid():N}.pfx");

    [Fact]
    public async Task Keys_AreStoredEncrypted_AndAnInstanceWithTheSameCertificateReadsTheOthersCookies()
    {
        var connectionString = await CreateDatabaseAsync();
        var withCertificate = new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = CreateCertificate("certificate-password"),
            ["DataProtection:CertificatePassword"] = "certificate-password",
        };
        var cookies = new CookieContainer();
        await using (var first = new CommunityFunnelAppFactory(connectionString, withCertificate))
        {
            using var browser = Client(first, cookies);
            Assert.Equal(HttpStatusCode.Redirect, (await CommunityFunnelAppFactory.SignInAsync(browser, PostgresFixture.AdminEmail, PostgresFixture.AdminPassword)).StatusCode);
        }

        var stored = await StoredKeysAsync(connectionString);
        Assert.NotEmpty(stored);
        Assert.All(stored, xml => Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal));
        Assert.All(stored, xml => Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal)); // the raw key is not there

        await using (var second = new CommunityFunnelAppFactory(connectionString, withCertificate))
        {
            using var sameBrowser = Client(second, cookies);
            Assert.Equal(HttpStatusCode.OK, (await sameBrowser.GetAsync("/groups", Ct)).StatusCode); // still signed in
        }

        await using var withoutCertificate = new CommunityFunnelAppFactory(connectionString);
        using var stranger = Client(withoutCertificate, cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync("/groups", Ct)).StatusCode); // cannot read the key ring
    }

    public override async ValueTask DisposeAsync()
    {
        File.Delete(_certificateFile);
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)");
        await base.DisposeAsync();
    }

    private static HttpClient Client(CommunityFunnelAppFactory app, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

    private string CreateCertificate(string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=CommunityFunnel Data Protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(_certificateFile, certificate.Export(X509ContentType.Pkcs12, password));
        return _certificateFile;
    }

    private async Task<string> CreateDatabaseAsync()
    {
        await ExecuteOnServerAsync($"CREATE DATABASE \"{_databaseName}\"");
        return new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Database = _databaseName }.ConnectionString;
    }

    private static async Task<List<string>> StoredKeysAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT xml FROM funnel.data_protection_keys", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var keys = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
