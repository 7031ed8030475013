using System.Globalization;

namespace CommunityFunnel.Web.Hardening;

/// <summary>
/// A request that failed because PostgreSQL is unreachable answers 503 with Retry-After: problem details with the
/// stable code <c>database_unavailable</c> for API and JSON callers, a short page for browsers. Never a 500, never a
/// stack trace; logged once at Warning with the driver's message, which names the server but not the connection string.
/// </summary>
internal sealed class DatabaseOutageResponses(RequestDelegate next, ILogger<DatabaseOutageResponses> logger)
{
    public const int RetryAfterSeconds = 5;
    public const string Code = "database_unavailable";
    private static readonly object AnsweredItem = new();

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Back in a moment · CommunityFunnel</title></head>
        <body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">
        <h1>Back in a moment</h1>
        <p>CommunityFunnel cannot reach its database right now. Nothing you did was lost: please try again in a few seconds.</p>
        </body></html>
        """;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && DatabaseOutage.IsCause(ex))
        {
            logger.LogWarning("Database unavailable: {Method} {Endpoint} answered 503 ({Error}: {Message})",
                context.Request.Method, context.GetEndpoint()?.DisplayName ?? "(no endpoint)", ex.GetType().Name, Innermost(ex).Message);
            context.Items[AnsweredItem] = true;
            await WriteAsync(context);
        }
    }

    /// <summary>Whether this request was answered with the outage 503.</summary>
    public static bool Answered(HttpContext context) => context.Items.ContainsKey(AnsweredItem);

    private static Exception Innermost(Exception exception) => exception.InnerException is { } inner ? Innermost(inner) : exception;

    private static async Task WriteAsync(HttpContext context)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        if (WantsPage(context.Request))
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Page, context.RequestAborted);
            return;
        }

        await Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Service unavailable",
                detail: $"The database cannot be reached. Try again in {RetryAfterSeconds} seconds.",
                type: $"https://communityfunnel.dev/problems/{Code}",
                extensions: new Dictionary<string, object?> { ["code"] = Code })
            .ExecuteAsync(context);
    }

    /// <summary>Browsers navigating to a page ask for HTML; the API, the stock poll and scripts get problem details.</summary>
    private static bool WantsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && request.Headers.Accept.Any(accept => accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
}
