using Serilog.AspNetCore;
using Serilog.Core;
using Serilog.Events;

namespace CommunityFunnel.Web.Hardening;

/// <summary>
/// An outage is logged once per request, at Warning, by <see cref="DatabaseOutageResponses"/>. EF Core's error events
/// that carry the outage exception (the query failure, with its stack trace) are dropped, and the request line for a
/// 503 answered that way is Information, not the Error that Serilog gives every 5xx. EF's one-line "failed executing
/// DbCommand" and connection errors carry no exception to recognise, so they stay; other failures are untouched.
/// </summary>
internal sealed class DatabaseOutageLogging : ILogEventFilter
{
    public static void AddDatabaseOutageLogging(IServiceCollection services)
    {
        services.AddSingleton<ILogEventFilter, DatabaseOutageLogging>(); // picked up by ReadFrom.Services
        services.Configure<RequestLoggingOptions>(options =>
        {
            var level = options.GetLevel;
            options.GetLevel = (context, elapsed, exception) =>
                DatabaseOutageResponses.Answered(context) ? LogEventLevel.Information : level(context, elapsed, exception);
        });
    }

    public bool IsEnabled(LogEvent logEvent) =>
        logEvent.Exception is null
        || !(logEvent.Properties.TryGetValue("SourceContext", out var source) && source.ToString().StartsWith("\"Microsoft.EntityFrameworkCore", StringComparison.Ordinal))
        || !DatabaseOutage.IsCause(logEvent.Exception);
}
