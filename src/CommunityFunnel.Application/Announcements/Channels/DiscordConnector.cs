using System.Globalization;
using CommunityFunnel.Domain.Announcements;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>Discord webhook: {"content": …}; a 429 says how long to wait in retry_after (seconds, fractional) and headers.</summary>
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
                : response.Headers.TryGetValues("X-RateLimit-Reset-After", out var reset) ? double.Parse(reset.First(), CultureInfo.InvariantCulture)
                : 2;
            return new SendOutcome(SendResult.Retry, body, TimeSpan.FromSeconds(seconds));
        }

        return base.Interpret(response, body);
    }
}
