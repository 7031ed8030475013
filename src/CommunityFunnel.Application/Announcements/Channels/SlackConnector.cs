using CommunityFunnel.Domain.Announcements;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>Slack incoming webhook: {"text": …}, answered "ok"; about one message a second, 429 with Retry-After.</summary>
public sealed class SlackConnector(IHttpClientFactory clients, IOptions<ChannelOptions> options) : JsonConnector(clients, options)
{
    public override ChannelKind Kind => ChannelKind.Slack;
    public override RateLimit Limit { get; } = new(1, TimeSpan.FromSeconds(1));
    protected override int MaxTextLength => 4000;

    protected override HttpRequestMessage BuildRequest(ChannelSecret secret, string? chatId, OutboundPost post) =>
        PostJson(secret.Url!, new { text = post.Text });
}
