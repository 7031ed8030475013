using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CommunityFunnel.Web;

internal static class RateLimitRegistration
{
    public const string Api = "api";
    public const string Public = "public";
    public const string Polling = "polling";
    public const string Member = "member";

    /// <summary>
    /// Per-minute windows: the API per key (or address when unauthenticated); sign-in per address; member pages per member
    /// session, or per address for visitors (members behind one carrier NAT must not share a budget); stock polling; join
    /// form submissions per address.
    /// A rejected request gets 429 with Retry-After and problem details.
    /// </summary>
    public static IServiceCollection AddCommunityFunnelRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var apiPerMinute = configuration.GetValue("RateLimits:ApiPerMinute", 600);
        var publicPerMinute = configuration.GetValue("RateLimits:PublicPerMinute", 30);
        var pollingPerMinute = configuration.GetValue("RateLimits:PollingPerMinute", 120);
        var memberPerMinute = configuration.GetValue("RateLimits:MemberPerMinute", 120);
        var joinsPerMinute = configuration.GetValue("RateLimits:JoinsPerMinute", 10);
        services.AddRateLimiter(options =>
        {
            // Join forms are posted by visitors without a session: each try may create a member, so tries are counted
            // per client address on top of the page's own limit.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/join")
                    ? RateLimitPartition.GetFixedWindowLimiter(AddressKey(context), _ => Window(joinsPerMinute))
                    : RateLimitPartition.GetNoLimiter(""));
            options.AddPolicy(Api, context => RateLimitPartition.GetFixedWindowLimiter(
                PartitionKey(context, byCredential: true), _ => Window(apiPerMinute)));
            options.AddPolicy(Public, context => RateLimitPartition.GetFixedWindowLimiter(
                PartitionKey(context, byCredential: false), _ => Window(publicPerMinute)));
            options.AddPolicy(Member, context => RateLimitPartition.GetFixedWindowLimiter(
                PartitionKey(context, byCredential: false), _ => Window(memberPerMinute)));
            options.AddPolicy(Polling, context => RateLimitPartition.GetFixedWindowLimiter(
                PartitionKey(context, byCredential: false), _ => Window(pollingPerMinute)));
            options.OnRejected = async (rejected, ct) =>
            {
                var context = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                        statusCode: StatusCodes.Status429TooManyRequests,
                        title: "Too many requests",
                        detail: $"Slow down: try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds.",
                        extensions: new Dictionary<string, object?> { ["code"] = "rate_limited" })
                    .ExecuteAsync(context);
            };
        });
        return services;
    }

    private static FixedWindowRateLimiterOptions Window(int permitsPerMinute) => new()
    {
        PermitLimit = permitsPerMinute,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };

    private static string PartitionKey(HttpContext context, bool byCredential)
    {
        if (byCredential && context.User.Identity?.IsAuthenticated == true)
        {
            return "user:" + context.User.Identity.Name;
        }

        if (!byCredential && Portal.MemberSession.SignedInMember(context) is { } member)
        {
            return "member:" + member.MemberId;
        }

        return AddressKey(context);
    }

    private static string AddressKey(HttpContext context) => "ip:" + ClientAddress(context);

    /// <summary>The client's address: the connection's, or what a trusted proxy forwarded (see TrustedProxies).</summary>
    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
