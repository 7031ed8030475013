using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpsPolicy;

namespace CommunityFunnel.Web.Hardening;

/// <summary>
/// Outside Development, requests are accepted only for the public address's host plus <c>App:AdditionalHosts</c>
/// (e.g. the name a load balancer's health probe uses); any other Host header gets 400. An https public address also
/// gives HTTPS redirection its port.
/// </summary>
internal static class PublicHosts
{
    public const string AdditionalHostsKey = "App:AdditionalHosts";

    public static void AddPublicHosts(this WebApplicationBuilder builder, PublicUrls urls)
    {
        if (urls.Base is not { } publicBase || builder.Environment.IsDevelopment())
        {
            return;
        }

        // Configure, not PostConfigure: the host's own AllowedHosts default then sees a list and leaves it alone.
        builder.Services.Configure<HostFilteringOptions>(options =>
            options.AllowedHosts = [publicBase.Host, .. Settings.List(builder.Configuration, AdditionalHostsKey)]);
        if (publicBase.Scheme == Uri.UriSchemeHttps)
        {
            builder.Services.Configure<HttpsRedirectionOptions>(options => options.HttpsPort = publicBase.Port);
        }
    }
}
