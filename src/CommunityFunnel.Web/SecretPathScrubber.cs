using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace CommunityFunnel.Web;

/// <summary>
/// Keeps secrets that travel in URL paths (personal-link tokens in /m/{token}) out of every log event: the request log
/// line and any event logged during such a request, which carries the path from the request's logging scope.
/// </summary>
internal sealed partial class SecretPathScrubber : ILogEventEnricher
{
    private static readonly string[] PathProperties = ["RequestPath", "Path"];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var name in PathProperties)
        {
            if (logEvent.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: string path } && SecretSegment().IsMatch(path))
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(Scrub(path))));
            }
        }
    }

    private static string Scrub(string path) => SecretSegment().Replace(path, "$1***");

    [GeneratedRegex("^(/m/)[^/?#]+", RegexOptions.IgnoreCase)]
    private static partial Regex SecretSegment();
}
