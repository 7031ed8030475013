using CommunityFunnel.Application.Announcements.Channels;
using Microsoft.AspNetCore.HttpOverrides;
using Scalar.AspNetCore;

namespace CommunityFunnel.Web.Hardening;

/// <summary>The web hardening in one place, wired with one call each from the composition root.</summary>
internal static class HardeningRegistration
{
    public static WebApplicationBuilder AddCommunityFunnelHardening(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var publicUrls = PublicUrls.FromConfiguration(builder.Configuration, builder.Environment);
        services.AddSingleton(publicUrls);
        // Chat platforms fetch a post's picture from the public address, like members open its links.
        services.PostConfigure<ChannelOptions>(options => options.PublicBaseUrl ??= publicUrls.Base);
        builder.AddPublicHosts(publicUrls);
        services.Configure<ForwardedHeadersOptions>(options => TrustedProxies.Configure(options, builder.Configuration));
        services.AddHttpsOnly();
        builder.AddKeyRingEncryption();
        DatabaseOutageLogging.AddDatabaseOutageLogging(services);
        services.Configure<ScalarOptions>(options => options.DefaultFonts = false); // the API reference loads nothing from outside
        return builder;
    }

    /// <summary>First in the pipeline, before request logging and rate limits, which must see the real client.</summary>
    public static WebApplication UseCommunityFunnelEdge(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseHttpsOnly();
        app.UseWhen(IsApiDocsPage, branch => branch.UseMiddleware<InlineScriptHashes>());
        return app;
    }

    /// <summary>Inside the exception handler: a database outage never reaches it as a 500.</summary>
    public static WebApplication UseDatabaseOutageResponses(this WebApplication app)
    {
        app.UseMiddleware<DatabaseOutageResponses>();
        return app;
    }

    /// <summary>The API reference's HTML page, not its multi-megabyte script assets, which need no buffering.</summary>
    private static bool IsApiDocsPage(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api/docs") && !Path.HasExtension(context.Request.Path.Value);
}
