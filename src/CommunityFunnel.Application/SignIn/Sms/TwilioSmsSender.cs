using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.SignIn.Sms;

/// <summary>
/// Twilio Programmable Messaging: POST {BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth with
/// the account SID and auth token, form-encoded To, From and Body; 201 when queued, else {code, message, more_info, status}.
/// </summary>
public sealed class TwilioSmsSender(IHttpClientFactory clients, IOptionsMonitor<SmsOptions> options) : ISmsSender
{
    public string Provider => SmsOptions.TwilioProvider;

    public async Task<SmsResult> SendCodeAsync(string phone, string code, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var account = settings.Twilio;
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{account.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(account.AccountSid)}/Messages.json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account.AccountSid}:{account.AuthToken}")));
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["To"] = phone,
            ["From"] = account.From,
            ["Body"] = SmsText.SignInCode(code),
        });

        return await SmsHttp.SendAsync(clients, request, settings.RequestTimeout, Interpret, ct);
    }

    /// <summary>Only Twilio's error code and the status go into the reason: its message may repeat the phone number.</summary>
    private static SmsResult Interpret(HttpStatusCode status, string body)
    {
        if (status == HttpStatusCode.Created)
        {
            return SmsResult.Accepted;
        }

        var errorCode = SmsHttp.TryParse(body) is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("code", out var value) ? value.ToString() : "none";
        return SmsResult.Refused($"Twilio answered HTTP {(int)status}, error code {errorCode}.");
    }
}
