using System.Globalization;
using CommunityFunnel.Domain.Announcements;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// Discord webhook: {"content": …}. Its rate-limit headers are honoured before a 429 happens: a response with
/// X-RateLimit-Remaining 0 pauses the webhook for X-RateLimit-Reset-After; a 429 says how long in retry_after.
/// </summary>
public sealed class DiscordConnector(IHttpClientFactory clients, IOptions<ChannelOptions> options) : JsonConnector(clients, options)
{
    public override ChannelKind Kind => ChannelKind.Discord;
    public override RateLimit Limit { get; } = new(5, TimeSpan.FromSeconds(2));
    protected override int MaxTextLength => 2000;

    protected override HttpRequestMessage BuildRequest(ChannelSecret secret, string? chatId, OutboundPost post) =>
        PostJson(secret.Url!, new { content = post.Text });

    protected override SendOutcome Interpret(HttpResponseMessage response, string body)
    {
        if ((int)response.StatusCode == 429)
        {
            var seconds = TryParse(body) is { } json && json.TryGetProperty("retry_after", out var retry) ? retry.GetDouble()
                : Header(response, "X-RateLimit-Reset-After") ?? 2;
            return new SendOutcome(SendResult.Retry, body, TimeSpan.FromSeconds(seconds));
        }

        var outcome = base.Interpret(response, body);
        return outcome.Result == SendResult.Sent && Header(response, "X-RateLimit-Remaining") == 0 && Header(response, "X-RateLimit-Reset-After") is { } resetAfter
            ? outcome with { PauseChannelFor = TimeSpan.FromSeconds(resetAfter) }
            : outcome;
    }

    private static double? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && double.TryParse(values.First(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
