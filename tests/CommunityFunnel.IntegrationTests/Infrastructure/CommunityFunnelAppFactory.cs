using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.IntegrationTests.Infrastructure;

/// <summary>The real app on a real loopback socket (Kestrel), against the test database.</summary>
public sealed partial class CommunityFunnelAppFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "cf_test-bootstrap-key-0123456789abcdef";
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Extra registrations, such as a log sink to read what the app logged.</param>
    public CommunityFunnelAppFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _connectionString = connectionString;
        _settings = settings ?? new Dictionary<string, string?>();
        _services = services;
        UseKestrel(0);
        StartServer();
    }

    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseStaticWebAssets(); // outside Development, build output serves empty static assets without this
        builder.UseSetting("ConnectionStrings:CommunityFunnel", _connectionString);
        builder.UseSetting("Hangfire:RunServer", "false");
        builder.UseSetting("Announcements:RunDispatcher", "false"); // tests run the dispatcher themselves
        builder.UseSetting("Channels:AllowPrivateAddresses", "true");
        builder.UseSetting("Bootstrap:AdminEmail", PostgresFixture.AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", PostgresFixture.AdminPassword);
        builder.UseSetting("Bootstrap:ApiKey", ApiKey);
        builder.UseSetting("RateLimits:PublicPerMinute", "1000"); // the shared test app signs people in dozens of times a minute
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    /// <summary>A client authenticated with an API key (the bootstrap admin key unless another is given).</summary>
    public HttpClient ApiClient(string? apiKey = ApiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects, so tests see them.</summary>
    public HttpClient CookieClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    /// <summary>Signs in through the real sign-in form (with its antiforgery token); returns the response to the form post.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync("/login");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
