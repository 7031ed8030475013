using System.Globalization;
using System.Text.Json;
using CommunityFunnel.Domain.Announcements;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// Discord webhook: {"content": …}, with an embed showing the picture for a post that has one. Its rate-limit headers are honoured before a 429 happens: a response with
/// X-RateLimit-Remaining 0 pauses the webhook for X-RateLimit-Reset-After; a 429 says how long in retry_after.
/// </summary>
public sealed class DiscordConnector(IHttpClientFactory clients, IOptions<ChannelOptions> options) : JsonConnector(clients, options)
{
    public override ChannelKind Kind => ChannelKind.Discord;
    public override RateLimit Limit { get; } = new(5, TimeSpan.FromSeconds(2));
    protected override int MaxTextLength => 2000;

    protected override HttpRequestMessage BuildRequest(ChannelSecret secret, string? chatId, OutboundPost post) =>
        post.ImageUrl is { } image
            ? PostJson(secret.Url!, new { content = post.Text, embeds = new[] { new { image = new { url = image } } } })
            : PostJson(secret.Url!, new { content = post.Text });

    protected override SendOutcome Interpret(HttpResponseMessage response, string body)
    {
        if ((int)response.StatusCode == 429)
        {
            var wait = TryParse(body) is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("retry_after", out var retry) ? RetryAfter.FromJson(retry)
                : RetryAfter.FromSecondsHeader(response, "X-RateLimit-Reset-After") ?? TimeSpan.FromSeconds(2);
            return new SendOutcome(SendResult.Retry, body, wait);
        }

        var outcome = base.Interpret(response, body);
        return outcome.Result == SendResult.Sent && Remaining(response) == 0 && RetryAfter.FromSecondsHeader(response, "X-RateLimit-Reset-After") is { } resetAfter
            ? outcome with { PauseChannelFor = resetAfter }
            : outcome;
    }

    private static int? Remaining(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-RateLimit-Remaining", out var values) && int.TryParse(values.First(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
