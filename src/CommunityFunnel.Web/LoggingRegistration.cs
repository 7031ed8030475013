using Serilog;
using Serilog.Formatting.Compact;

namespace CommunityFunnel.Web;

internal static class LoggingRegistration
{
    /// <summary>Serilog from configuration; plain console lines while developing, one JSON object per line in Production.</summary>
    public static WebApplicationBuilder AddCommunityFunnelLogging(this WebApplicationBuilder builder)
    {
        var json = builder.Environment.IsProduction();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext()
                .Enrich.With<SecretPathScrubber>();
            if (json)
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }
        });
        return builder;
    }
}
