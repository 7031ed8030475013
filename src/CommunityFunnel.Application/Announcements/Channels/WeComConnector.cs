using System.Text;
using System.Text.Json;
using CommunityFunnel.Domain.Announcements;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// WeCom group robot: POST /cgi-bin/webhook/send?key=KEY with a text message. Errors come back as HTTP 200 with a
/// non-zero errcode; 45009 means the robot's 20-a-minute limit was hit.
/// </summary>
public sealed class WeComConnector(IHttpClientFactory clients, IOptions<ChannelOptions> options) : JsonConnector(clients, options)
{
    public const int MaxContentBytes = 2048;
    private const int RateLimited = 45009;
    private const int SystemBusy = -1;

    public override ChannelKind Kind => ChannelKind.WeCom;
    public override RateLimit Limit { get; } = new(20, TimeSpan.FromMinutes(1));
    protected override int MaxTextLength => MaxContentBytes;

    public override string? RefuseText(string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        return bytes > MaxContentBytes ? $"A WeCom robot accepts at most {MaxContentBytes} bytes of text (UTF-8); this post has {bytes}." : null;
    }

    protected override HttpRequestMessage BuildRequest(ChannelSecret secret, string? chatId, OutboundPost post) =>
        PostJson($"{Options.WeCom.BaseUrl.TrimEnd('/')}/cgi-bin/webhook/send?key={Uri.EscapeDataString(secret.Key ?? "")}",
            new { msgtype = "text", text = new { content = post.Text } });

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
