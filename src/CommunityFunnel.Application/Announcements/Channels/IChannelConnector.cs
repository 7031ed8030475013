using CommunityFunnel.Domain.Announcements;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>An outbound adapter for one chat platform, speaking its real wire format.</summary>
public interface IChannelConnector
{
    ChannelKind Kind { get; }

    /// <summary>The platform's own limit for one destination (robot, chat, webhook).</summary>
    RateLimit Limit { get; }

    /// <summary>Why the platform would refuse this text (its length limit), or null when it fits.</summary>
    string? RefuseText(string text);

    /// <summary>Sends <paramref name="post"/>; its request may start early, but its body waits for <paramref name="departure"/>.</summary>
    Task<SendOutcome> SendAsync(ChannelSecret secret, string? chatId, OutboundPost post, Departure departure, CancellationToken ct);
}

public sealed record OutboundPost(Guid PostId, Guid GroupId, string Text, DateTimeOffset DueAt);

public sealed record RateLimit(int Count, TimeSpan Window);
