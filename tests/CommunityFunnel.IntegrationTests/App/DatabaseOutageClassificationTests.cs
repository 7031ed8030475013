using System.Net.Sockets;
using CommunityFunnel.Web.Hardening;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Serilog.Events;
using Serilog.Parsing;

namespace CommunityFunnel.IntegrationTests.App;

/// <summary>Which failures count as "PostgreSQL is unreachable" (503), however EF wrapped them; the rest stay 500s.</summary>
public sealed class DatabaseOutageClassificationTests
{
    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException(111)), true },
        { "admin_shutdown inside a DbUpdateException", new DbUpdateException("save failed", Postgres("57P01")), true },
        { "cannot_connect_now inside EF's transient wrapper", new InvalidOperationException("transient failure", Postgres("57P03")), true },
        { "pool timeout", new NpgsqlException("The connection pool has been exhausted", new TimeoutException()), true },
        { "connection failure class 08", Postgres("08006"), true },
        { "one of several", new AggregateException(new ArgumentException("no"), new NpgsqlException("broken", new IOException())), true },
        { "unique violation", new DbUpdateException("save failed", Postgres("23505")), false },
        { "serialization failure", Postgres("40001"), false },
        { "a bug", new InvalidOperationException("Sequence contains no elements"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsCause_RecognisesAnOutage_ThroughAnyWrapping(string failure, Exception exception, bool outage) =>
        Assert.True(DatabaseOutage.IsCause(exception) == outage, failure);

    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore.Query", "57P01", false)] // the outage's EF echo, with a stack trace: dropped
    [InlineData("Microsoft.EntityFrameworkCore.Query", "23505", true)] // any other EF failure: kept
    [InlineData("CommunityFunnel.Application.Sales.FlashSaleService", "57P01", true)] // our own logs: kept
    public void LogFilter_DropsOnlyEfCoresEchoOfAnOutage(string source, string sqlState, bool kept)
    {
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Error, Postgres(sqlState), new MessageTemplate("failed", []),
            [new LogEventProperty("SourceContext", new ScalarValue(source))]);

        Assert.Equal(kept, new DatabaseOutageLogging().IsEnabled(logEvent));
    }

    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);
}
