namespace CommunityFunnel.Web.Hardening;

/// <summary>
/// Absolute links the app hands out (personal links, referral and sale links): always on the configured public address
/// (<c>App:PublicBaseUrl</c>), never on whatever Host a request or circuit happened to arrive with. Without one, which
/// start-up allows only in Development and Testing, the request's own address is used.
/// </summary>
public sealed class PublicUrls(Uri? publicBase)
{
    public const string Key = "App:PublicBaseUrl";

    /// <summary>The configured public address, ending in '/', or null in Development and Testing without one.</summary>
    public Uri? Base { get; } = publicBase;

    public string Absolute(string path, string requestBase) =>
        new Uri(Base ?? new Uri(requestBase), path.TrimStart('/')).ToString();

    public string Absolute(string path, HttpRequest request) => Absolute(path, $"{request.Scheme}://{request.Host}{request.PathBase}/");

    /// <summary>Reads and checks <c>App:PublicBaseUrl</c>; start-up fails here, with what to set, rather than later with a wrong link.</summary>
    public static PublicUrls FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var value = configuration[Key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return environment.IsDevelopment() || environment.IsEnvironment("Testing")
                ? new PublicUrls(null)
                : throw new InvalidOperationException(
                    $"{Key} is required outside Development: set it to the https address members and platforms reach this app at, e.g. App__PublicBaseUrl=https://shop.example.com");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidOperationException($"{Key} must be an absolute http(s) address such as https://shop.example.com, not '{value}'.");
        }

        return new PublicUrls(new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"));
    }
}
