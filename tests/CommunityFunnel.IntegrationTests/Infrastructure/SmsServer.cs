using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback Twilio (Programmable Messaging) and Tencent Cloud SMS (API 3.0 SendSms) in their wire formats. Twilio's
/// side checks HTTP Basic auth; Tencent's recomputes the TC3-HMAC-SHA256 signature on its own (not with the app's code).
/// Both refuse bad credentials with the provider's real error body, and record every message they accept.
/// </summary>
public sealed partial class SmsServer : IAsyncDisposable
{
    public const string TwilioAccountSid = "AC00000000000000000000000000000042";
    public const string TwilioAuthToken = "twilio-auth-token-for-tests-0123";
    public const string TwilioFrom = "+15005550006";
    public const string TencentSecretId = "AKIDtestsecretid0123456789abcdef";
    public const string TencentSecretKey = "tencent-secret-key-for-tests-0123";
    public const string TencentSdkAppId = "1400000042";

    /// <summary>Tencent's property names are PascalCase, as written (the default web options would camel-case them).</summary>
    private static readonly JsonSerializerOptions AsWritten = new();

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<object> _failures = new();

    private SmsServer(WebApplication app) => _app = app;

    public ConcurrentQueue<SmsMessage> Messages { get; } = new();

    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<SmsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new SmsServer(app);
        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", (HttpContext http, string sid) => server.TwilioAsync(http, sid));
        app.MapPost("/", (Func<HttpContext, Task<IResult>>)server.TencentAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>Configuration for the app: <paramref name="provider"/> at this server, with a wrong secret when asked.</summary>
    public IReadOnlyDictionary<string, string?> Settings(string provider, bool wrongSecret = false) => new Dictionary<string, string?>
    {
        ["Sms:Provider"] = provider,
        ["Sms:Twilio:AccountSid"] = TwilioAccountSid,
        ["Sms:Twilio:AuthToken"] = wrongSecret ? "not-the-auth-token" : TwilioAuthToken,
        ["Sms:Twilio:From"] = TwilioFrom,
        ["Sms:Twilio:BaseUrl"] = BaseAddress.ToString(),
        ["Sms:Tencent:SecretId"] = TencentSecretId,
        ["Sms:Tencent:SecretKey"] = wrongSecret ? "not-the-secret-key" : TencentSecretKey,
        ["Sms:Tencent:SdkAppId"] = TencentSdkAppId,
        ["Sms:Tencent:SignName"] = "社群漏斗",
        ["Sms:Tencent:TemplateId"] = "2000042",
        ["Sms:Tencent:Region"] = "ap-guangzhou",
        ["Sms:Tencent:BaseUrl"] = BaseAddress.ToString(),
    };

    /// <summary>The code in the last message to <paramref name="phone"/>.</summary>
    public string LastCodeTo(string phone) => Messages.Last(m => m.To == phone).Code;

    /// <summary>The next message is refused the way the provider refuses a bad destination (Twilio 21211, Tencent per-number status).</summary>
    public void RefuseNext() => _failures.Enqueue(new object());

    public void Reset()
    {
        Messages.Clear();
        _failures.Clear();
    }

    private async Task<IResult> TwilioAsync(HttpContext http, string sid)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TwilioAccountSid}:{TwilioAuthToken}"));
        if (sid != TwilioAccountSid || http.Request.Headers.Authorization != expected)
        {
            return TwilioError(401, 20003, "Authenticate");
        }

        var form = await http.Request.ReadFormAsync();
        if (string.IsNullOrEmpty(form["To"]) || form["From"] != TwilioFrom || string.IsNullOrEmpty(form["Body"]))
        {
            return TwilioError(400, 21604, "A 'To' phone number is required.");
        }

        if (_failures.TryDequeue(out _))
        {
            return TwilioError(400, 21211, $"The 'To' number {form["To"]} is not a valid phone number.");
        }

        var body = form["Body"].ToString();
        Messages.Enqueue(new SmsMessage("Twilio", form["To"]!, body, SixDigits().Match(body).Value));
        return Results.Json(new { sid = "SM" + Guid.NewGuid().ToString("N"), account_sid = sid, to = form["To"].ToString(), from = TwilioFrom, body, status = "queued" }, statusCode: 201);
    }

    private static IResult TwilioError(int status, int code, string message) =>
        Results.Json(new { code, message, more_info = $"https://www.twilio.com/docs/errors/{code}", status }, statusCode: status);

    private async Task<IResult> TencentAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var payload = await reader.ReadToEndAsync();
        var headers = http.Request.Headers;
        if (headers["X-TC-Action"] != "SendSms" || headers["X-TC-Version"] != "2021-01-11" || string.IsNullOrEmpty(headers["X-TC-Region"]))
        {
            return TencentError("InvalidAction", "The action or version is not valid.");
        }

        if (!long.TryParse(headers["X-TC-Timestamp"], CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) > 300)
        {
            return TencentError("AuthFailure.SignatureExpire", "Signature expired. Timestamp and server time cannot differ by more than 5 minutes.");
        }

        var authorization = headers.Authorization.ToString();
        if (!authorization.Contains($"Credential={TencentSecretId}/", StringComparison.Ordinal))
        {
            return TencentError("AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct.");
        }

        if (authorization != ExpectedTencentAuthorization(headers.ContentType.ToString(), http.Request.Host.Value!, payload, timestamp))
        {
            return TencentError("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.");
        }

        var request = JsonDocument.Parse(payload).RootElement;
        var phone = request.GetProperty("PhoneNumberSet")[0].GetString()!;
        var parameters = request.GetProperty("TemplateParamSet").EnumerateArray().Select(p => p.GetString()!).ToList();
        if (request.GetProperty("SmsSdkAppId").GetString() != TencentSdkAppId)
        {
            return TencentError("FailedOperation.SmsSdkAppIdVerifyFail", "SmsSdkAppId verification failed.");
        }

        if (_failures.TryDequeue(out _))
        {
            return TencentSent(phone, "InvalidParameterValue.IncorrectPhoneNumber", "invalid mobile number");
        }

        Messages.Enqueue(new SmsMessage("Tencent", phone, string.Join(' ', parameters), parameters[0]));
        return TencentSent(phone, "Ok", "send success");
    }

    /// <summary>Tencent's TC3-HMAC-SHA256, written from its documentation independently of the app's signer.</summary>
    private static string ExpectedTencentAuthorization(string contentType, string host, string payload, long timestamp)
    {
        static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        static byte[] Hmac(byte[] key, string text) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text));

        var date = DateTime.UnixEpoch.AddSeconds(timestamp).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var canonical = string.Join('\n', "POST", "/", "", $"content-type:{contentType}\nhost:{host}\n", "content-type;host", Sha256Hex(payload));
        var scope = $"{date}/sms/tc3_request";
        var toSign = string.Join('\n', "TC3-HMAC-SHA256", timestamp.ToString(CultureInfo.InvariantCulture), scope, Sha256Hex(canonical));
        var key = Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("TC3" + TencentSecretKey), date), "sms"), "tc3_request");
        var signature = Convert.ToHexStringLower(Hmac(key, toSign));
        return $"TC3-HMAC-SHA256 Credential={TencentSecretId}/{scope}, SignedHeaders=content-type;host, Signature={signature}";
    }

    private static IResult TencentError(string code, string message) =>
        Results.Json(new { Response = new { Error = new { Code = code, Message = message }, RequestId = Guid.NewGuid().ToString() } }, AsWritten);

    private static IResult TencentSent(string phone, string code, string message) => Results.Json(new
    {
        Response = new
        {
            SendStatusSet = new[] { new { SerialNo = "2028:" + Guid.NewGuid().ToString("N"), PhoneNumber = phone, Fee = 1, SessionContext = "", Code = code, Message = message, IsoCode = "CN" } },
            RequestId = Guid.NewGuid().ToString(),
        },
    }, AsWritten);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}

public sealed record SmsMessage(string Provider, string To, string Text, string Code);
