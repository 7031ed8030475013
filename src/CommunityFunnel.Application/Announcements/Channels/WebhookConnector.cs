using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommunityFunnel.Domain.Announcements;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// A generic JSON webhook for any other system. The receiver checks X-CommunityFunnel-Signature:
/// "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)) with the timestamp from X-CommunityFunnel-Timestamp.
/// </summary>
public sealed class WebhookConnector(IHttpClientFactory clients, IOptions<ChannelOptions> options, TimeProvider clock) : JsonConnector(clients, options)
{
    public const string TimestampHeader = "X-CommunityFunnel-Timestamp";
    public const string SignatureHeader = "X-CommunityFunnel-Signature";

    public override ChannelKind Kind => ChannelKind.Webhook;
    public override RateLimit Limit { get; } = new(60, TimeSpan.FromMinutes(1));
    protected override int MaxTextLength => Post.MaxTextLength;

    public static string Sign(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    protected override HttpRequestMessage BuildRequest(ChannelSecret secret, string? chatId, OutboundPost post)
    {
        var body = JsonSerializer.Serialize(new { id = post.PostId, groupId = post.GroupId, text = post.Text, dueAt = post.DueAt, imageUrl = post.ImageUrl });
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, secret.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, Sign(secret.Secret ?? "", timestamp, body));
        return request;
    }
}
