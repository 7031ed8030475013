using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CommunityFunnel.Web.Hardening;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto are honoured only from the proxies named in configuration
/// (<c>ForwardedHeaders:KnownProxies</c> addresses, <c>ForwardedHeaders:KnownNetworks</c> CIDR ranges); from anyone
/// else they are ignored, so a client cannot pick its own rate-limit bucket or log address. Nothing is trusted by
/// default, not even loopback. X-Forwarded-Host is never honoured: the proxy passes the Host header through, and
/// host filtering checks that.
/// </summary>
internal static class TrustedProxies
{
    public const string Section = "ForwardedHeaders";

    public static void Configure(ForwardedHeadersOptions options, IConfiguration configuration)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = null; // walk back through every known proxy in a chain, stopping at the first unknown one
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in Settings.List(configuration, $"{Section}:KnownProxies"))
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"{Section}:KnownProxies: '{proxy}' is not an IP address."));
        }

        foreach (var network in Settings.List(configuration, $"{Section}:KnownNetworks"))
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var range)
                ? range
                : throw new InvalidOperationException($"{Section}:KnownNetworks: '{network}' is not a CIDR range such as 10.0.0.0/8."));
        }
    }
}
