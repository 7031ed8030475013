using CommunityFunnel.Domain.Announcements;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// Slack incoming webhook: {"text": …}, answered "ok"; about one message a second, 429 with Retry-After. A post with a
/// picture is sent as blocks (the text in sections of at most 3000 characters, then an image block); "text" stays as what
/// notifications show.
/// </summary>
public sealed class SlackConnector(IHttpClientFactory clients, IOptions<ChannelOptions> options) : JsonConnector(clients, options)
{
    public override ChannelKind Kind => ChannelKind.Slack;
    public override RateLimit Limit { get; } = new(1, TimeSpan.FromSeconds(1));
    protected override int MaxTextLength => 4000;

    public const int MaxSectionLength = 3000;
    private const int AltTextLength = 200;

    protected override HttpRequestMessage BuildRequest(ChannelSecret secret, string? chatId, OutboundPost post)
    {
        if (post.ImageUrl is not { } image)
        {
            return PostJson(secret.Url!, new { text = post.Text });
        }

        var sections = post.Text.Chunk(MaxSectionLength).Select(part => (object)new { type = "section", text = new { type = "mrkdwn", text = new string(part) } });
        var firstLine = post.Text.Trim().Split('\n')[0];
        var picture = new { type = "image", image_url = image, alt_text = firstLine.Length > AltTextLength ? firstLine[..AltTextLength] : firstLine };
        return PostJson(secret.Url!, new { text = post.Text, blocks = sections.Append(picture).ToArray() });
    }
}
