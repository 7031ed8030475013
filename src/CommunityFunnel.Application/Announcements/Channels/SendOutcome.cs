namespace CommunityFunnel.Application.Announcements.Channels;

public enum SendResult
{
    Sent,

    /// <summary>Not delivered, safe to try again (429, 5xx, connection refused).</summary>
    Retry,

    /// <summary>Refused for good (bad key, unknown chat): retrying would not help.</summary>
    Failed,

    /// <summary>The request left but no answer came: it may have been posted.</summary>
    Unknown,
}

public sealed record SendOutcome(SendResult Result, string Response, TimeSpan? RetryAfter = null);
