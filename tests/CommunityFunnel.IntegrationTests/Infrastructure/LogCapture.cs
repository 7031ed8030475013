using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace CommunityFunnel.IntegrationTests.Infrastructure;

/// <summary>A log sink the app picks up from its services: every event, written as the production JSON lines would be.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly RenderedCompactJsonFormatter _formatter = new();

    public string Text => string.Join('\n', _lines);

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        _formatter.Format(logEvent, writer);
        _lines.Enqueue(writer.ToString());
    }
}
