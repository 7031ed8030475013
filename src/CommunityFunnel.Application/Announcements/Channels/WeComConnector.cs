using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommunityFunnel.Domain.Announcements;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// WeCom group robot: POST /cgi-bin/webhook/send?key=KEY with a text message, or for a post with a picture a news card
/// (its first line the title, the rest the description, the picture by URL, and the post's first link, else the picture,
/// as where a tap leads). Errors come back as HTTP 200 with a non-zero errcode; 45009 means the robot's 20-a-minute
/// limit was hit.
/// </summary>
public sealed partial class WeComConnector(IHttpClientFactory clients, IOptions<ChannelOptions> options) : JsonConnector(clients, options)
{
    public const int MaxContentBytes = 2048;
    public const int MaxTitleBytes = 128;
    public const int MaxDescriptionBytes = 512;
    private const int RateLimited = 45009;
    private const int SystemBusy = -1;

    public override ChannelKind Kind => ChannelKind.WeCom;
    public override RateLimit Limit { get; } = new(20, TimeSpan.FromMinutes(1));
    protected override int MaxTextLength => MaxContentBytes;

    public override string? RefuseText(string text, bool withImage)
    {
        if (withImage)
        {
            var (title, description) = Card(text);
            var (titleBytes, descriptionBytes) = (Encoding.UTF8.GetByteCount(title), Encoding.UTF8.GetByteCount(description));
            return titleBytes > MaxTitleBytes || descriptionBytes > MaxDescriptionBytes
                ? $"A WeCom robot shows a post with a picture as a card: its first line at most {MaxTitleBytes} bytes (this one {titleBytes}), the rest at most {MaxDescriptionBytes} (this one {descriptionBytes}). Shorten it, or send it without the picture."
                : null;
        }

        var bytes = Encoding.UTF8.GetByteCount(text);
        return bytes > MaxContentBytes ? $"A WeCom robot accepts at most {MaxContentBytes} bytes of text (UTF-8); this post has {bytes}." : null;
    }

    protected override HttpRequestMessage BuildRequest(ChannelSecret secret, string? chatId, OutboundPost post)
    {
        var url = $"{Options.WeCom.BaseUrl.TrimEnd('/')}/cgi-bin/webhook/send?key={Uri.EscapeDataString(secret.Key ?? "")}";
        if (post.ImageUrl is not { } image)
        {
            return PostJson(url, new { msgtype = "text", text = new { content = post.Text } });
        }

        var (title, description) = Card(post.Text);
        var link = FirstLink().Match(post.Text) is { Success: true } found ? found.Value : image;
        return PostJson(url, new { msgtype = "news", news = new { articles = new[] { new { title, description, url = link, picurl = image } } } });
    }

    /// <summary>A news card's title (the first line) and description (the rest).</summary>
    private static (string Title, string Description) Card(string text)
    {
        var lines = text.Trim().Split('\n', 2);
        return (lines[0].Trim(), lines.Length > 1 ? lines[1].Trim() : "");
    }

    [GeneratedRegex(@"https?://[^\s]+")]
    private static partial Regex FirstLink();

    protected override SendOutcome Interpret(HttpResponseMessage response, string body)
    {
        if (!IsSuccess(response.StatusCode))
        {
            return base.Interpret(response, body);
        }

        var errcode = TryParse(body) is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("errcode", out var code)
            && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var number) ? number : (int?)null;
        return errcode switch
        {
            0 => new SendOutcome(SendResult.Sent, body),
            RateLimited => new SendOutcome(SendResult.Retry, body, TimeSpan.FromSeconds(60)),
            SystemBusy => new SendOutcome(SendResult.Retry, body),
            null => new SendOutcome(SendResult.Unknown, "Unreadable answer: " + body),
            _ => new SendOutcome(SendResult.Failed, body),
        };
    }
}
