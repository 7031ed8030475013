using System.Net.Sockets;
using Npgsql;

namespace CommunityFunnel.Web.Hardening;

/// <summary>
/// Tells "PostgreSQL is unreachable" apart from every other failure, however EF Core or Identity wrapped it
/// (DbUpdateException, InvalidOperationException, AggregateException): those are worth a retry, not a 500.
/// </summary>
internal static class DatabaseOutage
{
    // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections; class 08 is "connection exception".
    private static readonly string[] ServerUnavailableStates = ["57P01", "57P02", "57P03", "53300"];

    public static bool IsCause(Exception exception) => Chain(exception).Any(IsUnavailable);

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || ServerUnavailableStates.Contains(postgres.SqlState),
        // Not a server error: the connection could not be opened, broke, or the pool timed out waiting for one.
        NpgsqlException npgsql => npgsql.IsTransient,
        SocketException => true,
        _ => false,
    };

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                aggregate.InnerExceptions.ToList().ForEach(pending.Push);
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
