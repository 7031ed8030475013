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

/// <param name="RetryAfter">When this delivery may be tried again (a 429's retry_after).</param>
/// <param name="PauseChannelFor">How long the platform wants the whole destination left alone, even after a success
/// (Discord: X-RateLimit-Remaining 0 with X-RateLimit-Reset-After).</param>
public sealed record SendOutcome(SendResult Result, string Response, TimeSpan? RetryAfter = null, TimeSpan? PauseChannelFor = null)
{
    /// <summary>How much of a platform's answer is stored and shown (the delivery log's response column).</summary>
    public const int StoredResponseLength = 1000;

    /// <summary>A 429 pauses the destination, not only this delivery: its other posts would be refused the same way.</summary>
    public TimeSpan? ChannelPause => PauseChannelFor ?? (Result == SendResult.Retry ? RetryAfter : null);

    /// <summary>The answer as it may be stored and shown: secrets replaced first (so none is cut in half and kept), then shortened.</summary>
    public SendOutcome Scrubbed(ChannelSecret secret)
    {
        var scrubbed = secret.Scrub(Response);
        return this with { Response = scrubbed.Length > StoredResponseLength ? scrubbed[..StoredResponseLength] : scrubbed };
    }
}
