using System.Globalization;
using System.Text.Json;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// How long a platform asked to be left alone, read defensively: the value comes from outside, so one that is not a
/// finite, non-negative number of seconds means <see cref="Malformed"/>, and no wait is longer than <see cref="Longest"/>.
/// Either way the answer stays a 429: nothing was posted, so it must never become "maybe sent".
/// </summary>
public static class RetryAfter
{
    /// <summary>A platform that says "slow down" without a readable wait gets a minute: every per-minute limit has room again by then.</summary>
    public static readonly TimeSpan Malformed = TimeSpan.FromMinutes(1);

    /// <summary>Waiting longer helps no post: an ad-hoc post's deadline is an hour after its time, a countdown's sooner.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    public static TimeSpan FromSeconds(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 ? TimeSpan.FromSeconds(Math.Min(seconds, Longest.TotalSeconds)) : Malformed;

    /// <summary>A JSON retry_after (Telegram, Discord): a number of seconds, or anything else, which is malformed.</summary>
    public static TimeSpan FromJson(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) ? FromSeconds(seconds) : Malformed;

    /// <summary>A header holding seconds (X-RateLimit-Reset-After): null when absent, <see cref="Malformed"/> when unreadable.</summary>
    public static TimeSpan? FromSecondsHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
            ? double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? FromSeconds(seconds) : Malformed
            : null;

    /// <summary>The standard Retry-After (seconds or an HTTP date): null when absent, <see cref="Malformed"/> when unreadable.</summary>
    public static TimeSpan? FromRetryAfterHeader(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        var text = values.FirstOrDefault()?.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromSeconds(seconds);
        }

        return DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? FromSeconds(Math.Max(0, (date - DateTimeOffset.UtcNow).TotalSeconds))
            : Malformed;
    }
}
