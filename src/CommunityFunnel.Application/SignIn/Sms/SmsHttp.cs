using System.Net;
using System.Text.Json;
using CommunityFunnel.Application.Announcements.Channels;

namespace CommunityFunnel.Application.SignIn.Sms;

/// <summary>The HTTP plumbing the SMS connectors share: a time limit, a capped read of the answer, transport failures as refusals.</summary>
internal static class SmsHttp
{
    public const string ClientName = "sms";

    public static async Task<SmsResult> SendAsync(IHttpClientFactory clients, HttpRequestMessage request, TimeSpan timeout,
        Func<HttpStatusCode, string, SmsResult> interpret, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var body = await SafeHttp.ReadCappedAsync(response, timeout, limit.Token);
            return interpret(response.StatusCode, body);
        }
        catch (HttpRequestException ex)
        {
            return SmsResult.Refused($"The SMS provider could not be reached: {ex.HttpRequestError}.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return SmsResult.Refused("The SMS provider did not answer in time.");
        }
    }

    public static JsonElement? TryParse(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
