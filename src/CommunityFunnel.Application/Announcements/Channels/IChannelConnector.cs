using CommunityFunnel.Domain.Announcements;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>An outbound adapter for one chat platform, speaking its real wire format.</summary>
public interface IChannelConnector
{
    ChannelKind Kind { get; }

    /// <summary>The platform's own limit for one destination (robot, chat, webhook).</summary>
    RateLimit Limit { get; }

    /// <summary>Why the platform would refuse this text (its length limit), sent alone or with a picture; null when it fits.</summary>
    string? RefuseText(string text, bool withImage);

    /// <summary>Sends <paramref name="post"/>; its request may start early, but its body waits for <paramref name="departure"/>.</summary>
    Task<SendOutcome> SendAsync(ChannelSecret secret, string? chatId, OutboundPost post, Departure departure, CancellationToken ct);
}

/// <param name="ImageUrl">The post's picture on the app's public address (platforms fetch it from there), or null.</param>
public sealed record OutboundPost(Guid PostId, Guid GroupId, string Text, DateTimeOffset DueAt, string? ImageUrl = null);

public sealed record RateLimit(int Count, TimeSpan Window);
