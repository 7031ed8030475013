using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.SignIn.Sms;

/// <summary>
/// Tencent Cloud SMS, API 3.0 action SendSms (version 2021-01-11): a JSON body signed with TC3-HMAC-SHA256. Tencent
/// answers HTTP 200 either way: {"Response":{"SendStatusSet":[{"Code":"Ok",...}],...}} when sent, or
/// {"Response":{"Error":{"Code","Message"},...}} when refused; a refused number has its own Code in SendStatusSet.
/// </summary>
public sealed class TencentSmsSender(IHttpClientFactory clients, IOptionsMonitor<SmsOptions> options, TimeProvider clock) : ISmsSender
{
    public const string Service = "sms";
    public const string Version = "2021-01-11";
    public const string Action = "SendSms";
    public const string ContentType = "application/json; charset=utf-8";

    public string Provider => SmsOptions.TencentProvider;

    public async Task<SmsResult> SendCodeAsync(string phone, string code, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var account = settings.Tencent;
        var endpoint = new Uri(account.BaseUrl.TrimEnd('/') + "/");
        var payload = JsonSerializer.Serialize(new
        {
            PhoneNumberSet = new[] { phone },
            SmsSdkAppId = account.SdkAppId,
            SignName = account.SignName,
            TemplateId = account.TemplateId,
            TemplateParamSet = new[] { code, ((int)Domain.Members.SignInCode.Lifetime.TotalMinutes).ToString(CultureInfo.InvariantCulture) },
        });
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Content = new StringContent(payload, Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(account.SecretId, account.SecretKey, endpoint.Authority, payload, timestamp));
        request.Headers.Add("X-TC-Action", Action);
        request.Headers.Add("X-TC-Version", Version);
        request.Headers.Add("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-TC-Region", account.Region);

        return await SmsHttp.SendAsync(clients, request, settings.RequestTimeout, Interpret, ct);
    }

    /// <summary>TC3-HMAC-SHA256 over the canonical request (POST /, no query, content-type and host signed, the body's SHA-256).</summary>
    public static string Authorization(string secretId, string secretKey, string host, string payload, long timestamp)
    {
        var canonicalRequest = $"POST\n/\n\ncontent-type:{ContentType}\nhost:{host}\n\ncontent-type;host\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(payload)))}";
        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var scope = $"{date}/{Service}/tc3_request";
        var stringToSign = $"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var secretDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("TC3" + secretKey), Encoding.UTF8.GetBytes(date));
        var secretService = HMACSHA256.HashData(secretDate, Encoding.UTF8.GetBytes(Service));
        var secretSigning = HMACSHA256.HashData(secretService, "tc3_request"u8);
        var signature = Hex(HMACSHA256.HashData(secretSigning, Encoding.UTF8.GetBytes(stringToSign)));
        return $"TC3-HMAC-SHA256 Credential={secretId}/{scope}, SignedHeaders=content-type;host, Signature={signature}";
    }

    /// <summary>Only Tencent's error codes go into the reason: its messages may repeat the phone number.</summary>
    private static SmsResult Interpret(HttpStatusCode status, string body)
    {
        if (SmsHttp.TryParse(body) is not { ValueKind: JsonValueKind.Object } json
            || !json.TryGetProperty("Response", out var response) || response.ValueKind != JsonValueKind.Object)
        {
            return SmsResult.Refused($"Tencent Cloud answered HTTP {(int)status} without a Response.");
        }

        if (response.TryGetProperty("Error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            return SmsResult.Refused($"Tencent Cloud refused the request: {CodeOf(error)}.");
        }

        if (response.TryGetProperty("SendStatusSet", out var statuses) && statuses.ValueKind == JsonValueKind.Array && statuses.GetArrayLength() == 1)
        {
            var sent = statuses[0];
            return CodeOf(sent) == "Ok" ? SmsResult.Accepted : SmsResult.Refused($"Tencent Cloud did not send the message: {CodeOf(sent)}.");
        }

        return SmsResult.Refused($"Tencent Cloud answered HTTP {(int)status} without a send status.");
    }

    private static string CodeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("Code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString()! : "no code";

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
