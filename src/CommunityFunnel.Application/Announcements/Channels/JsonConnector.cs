using System.Net;
using System.Text;
using System.Text.Json;
using CommunityFunnel.Domain.Announcements;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>Shared shape of the JSON-over-HTTPS connectors: post a body, read the answer, map it to an outcome.</summary>
public abstract class JsonConnector(IHttpClientFactory clients, IOptions<ChannelOptions> options) : IChannelConnector
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    protected ChannelOptions Options => options.Value;

    public abstract ChannelKind Kind { get; }
    public abstract RateLimit Limit { get; }
    protected abstract int MaxTextLength { get; }

    public virtual string? RefuseText(string text, bool withImage) =>
        text.Length > MaxTextLength ? $"{Kind} accepts at most {MaxTextLength} characters per message; this post has {text.Length}." : null;

    public async Task<SendOutcome> SendAsync(ChannelSecret secret, string? chatId, OutboundPost post, Departure departure, CancellationToken ct)
    {
        using var request = BuildRequest(secret, chatId, post);
        request.Content = new HeldContent(request.Content!, departure);
        // HTTP/2 where the platform offers it (TLS): a burst shares a few connections instead of opening one per post.
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        using var http = clients.CreateClient(SafeHttp.ClientName);
        http.Timeout = Options.RequestTimeout + departure.LongestWait;
        var (response, failure) = await SafeHttp.TrySendAsync(http, request, ct);
        if (failure is not null)
        {
            return failure;
        }

        using (response)
        {
            // The whole capped body is read: cutting it to what is stored first would hide a WeCom errcode or a retry_after.
            return Interpret(response!, await SafeHttp.ReadCappedAsync(response!, Options.RequestTimeout, ct));
        }
    }

    protected abstract HttpRequestMessage BuildRequest(ChannelSecret secret, string? chatId, OutboundPost post);

    /// <summary>The common reading of an HTTP answer; platforms with their own error conventions override it.</summary>
    protected virtual SendOutcome Interpret(HttpResponseMessage response, string body) => (int)response.StatusCode switch
    {
        >= 200 and < 300 => new SendOutcome(SendResult.Sent, body),
        >= 300 and < 400 => new SendOutcome(SendResult.Failed,
            $"{(int)response.StatusCode}: the address redirects to {response.Headers.Location?.ToString() ?? "nowhere"}; posts follow no redirects, so save the channel with its final address."),
        429 => new SendOutcome(SendResult.Retry, body, RetryAfter.FromRetryAfterHeader(response) ?? TimeSpan.FromSeconds(5)),
        // A gateway that gave up (502) or timed out (504) says nothing about whether the platform behind it posted.
        502 or 504 => new SendOutcome(SendResult.Unknown, $"{(int)response.StatusCode} from a gateway: the post may have arrived. {body}"),
        >= 500 => new SendOutcome(SendResult.Retry, body),
        _ => new SendOutcome(SendResult.Failed, $"{(int)response.StatusCode} {body}"),
    };

    protected static HttpRequestMessage PostJson(string url, object payload) =>
        new(HttpMethod.Post, url) { Content = new StringContent(JsonSerializer.Serialize(payload, WebJson), Encoding.UTF8, "application/json") };

    protected static JsonElement? TryParse(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    protected static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;
}
