namespace CommunityFunnel.Application.SignIn.Sms;

/// <summary>Configuration section "Sms": which provider sends sign-in codes, and its account. Base URLs are configurable so tests point at a loopback server.</summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";
    public const string TwilioProvider = "Twilio";
    public const string TencentProvider = "Tencent";

    /// <summary><see cref="TwilioProvider"/>, <see cref="TencentProvider"/>, or empty: no SMS (codes go to the development outbox in Development).</summary>
    public string Provider { get; set; } = "";

    public TwilioSmsOptions Twilio { get; set; } = new();
    public TencentSmsOptions Tencent { get; set; } = new();

    /// <summary>Set by the host in Development: without a provider, codes are kept for the development-only page instead.</summary>
    public bool UseDevelopmentOutbox { get; set; }

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Twilio Programmable Messaging: the account SID and auth token (HTTP Basic), and the sending number.</summary>
public sealed class TwilioSmsOptions
{
    public string AccountSid { get; set; } = "";
    public string AuthToken { get; set; } = "";
    public string From { get; set; } = "";
    public string BaseUrl { get; set; } = "https://api.twilio.com";
}

/// <summary>
/// Tencent Cloud SMS (API 3.0, SendSms): the API key pair, the SMS application, and an approved signature and template
/// whose first parameter is the code and second the minutes it stays valid.
/// </summary>
public sealed class TencentSmsOptions
{
    public string SecretId { get; set; } = "";
    public string SecretKey { get; set; } = "";
    public string SdkAppId { get; set; } = "";
    public string SignName { get; set; } = "";
    public string TemplateId { get; set; } = "";
    public string Region { get; set; } = "ap-guangzhou";
    public string BaseUrl { get; set; } = "https://sms.tencentcloudapi.com";
}
