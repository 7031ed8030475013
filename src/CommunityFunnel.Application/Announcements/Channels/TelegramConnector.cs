using System.Text.Json;
using CommunityFunnel.Domain.Announcements;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// Telegram Bot API sendMessage, or sendPhoto (the picture by URL, the text as its caption) for a post with a picture; a
/// 429 carries parameters.retry_after (seconds) in its JSON body. A caption holds 1024 characters: a longer post with a
/// picture goes as one sendMessage whose link preview is the picture, large and above the text, rather than as a photo
/// and a second message, so that it stays one request that happens once.
/// </summary>
public sealed class TelegramConnector(IHttpClientFactory clients, IOptions<ChannelOptions> options) : JsonConnector(clients, options)
{
    public override ChannelKind Kind => ChannelKind.Telegram;
    public override RateLimit Limit { get; } = new(20, TimeSpan.FromMinutes(1)); // per group chat
    protected override int MaxTextLength => 4096;

    public const int MaxCaptionLength = 1024;

    protected override HttpRequestMessage BuildRequest(ChannelSecret secret, string? chatId, OutboundPost post)
    {
        var bot = $"{Options.Telegram.BaseUrl.TrimEnd('/')}/bot{secret.Token}";
        return post.ImageUrl switch
        {
            null => PostJson($"{bot}/sendMessage", new { chat_id = chatId, text = post.Text }),
            { } image when post.Text.Length <= MaxCaptionLength => PostJson($"{bot}/sendPhoto", new { chat_id = chatId, photo = image, caption = post.Text }),
            { } image => PostJson($"{bot}/sendMessage", new
            {
                chat_id = chatId,
                text = post.Text,
                link_preview_options = new { url = image, prefer_large_media = true, show_above_text = true },
            }),
        };
    }

    protected override SendOutcome Interpret(HttpResponseMessage response, string body)
    {
        if ((int)response.StatusCode == 429
            && TryParse(body) is { ValueKind: JsonValueKind.Object } json
            && json.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("retry_after", out var retryAfter))
        {
            return new SendOutcome(SendResult.Retry, body, RetryAfter.FromJson(retryAfter));
        }

        return base.Interpret(response, body);
    }
}
