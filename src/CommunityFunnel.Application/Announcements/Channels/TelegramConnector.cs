using System.Text.Json;
using CommunityFunnel.Domain.Announcements;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>Telegram Bot API sendMessage; a 429 carries parameters.retry_after (seconds) in its JSON body.</summary>
public sealed class TelegramConnector(IHttpClientFactory clients, IOptions<ChannelOptions> options) : JsonConnector(clients, options)
{
    public override ChannelKind Kind => ChannelKind.Telegram;
    public override RateLimit Limit { get; } = new(20, TimeSpan.FromMinutes(1)); // per group chat
    protected override int MaxTextLength => 4096;

    protected override HttpRequestMessage BuildRequest(ChannelSecret secret, string? chatId, OutboundPost post) =>
        PostJson($"{Options.Telegram.BaseUrl.TrimEnd('/')}/bot{secret.Token}/sendMessage", new { chat_id = chatId, text = post.Text });

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
