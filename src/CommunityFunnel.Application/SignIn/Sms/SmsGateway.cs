using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.SignIn.Sms;

/// <summary>
/// Sends a code through the configured provider (Sms:Provider). A refusal is logged with the provider's reason, which
/// never holds the phone, the code or a secret.
/// </summary>
public sealed class SmsGateway(
    TwilioSmsSender twilio,
    TencentSmsSender tencent,
    DevelopmentSmsOutbox outbox,
    IOptionsMonitor<SmsOptions> options,
    ILogger<SmsGateway> logger)
{
    public async Task<SmsResult> SendCodeAsync(string phone, string code, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        ISmsSender? sender = settings.Provider switch
        {
            SmsOptions.TwilioProvider => twilio,
            SmsOptions.TencentProvider => tencent,
            "" when settings.UseDevelopmentOutbox => outbox,
            _ => null,
        };
        var result = sender is null
            ? SmsResult.Refused($"No SMS provider is configured: set Sms:Provider to {SmsOptions.TwilioProvider} or {SmsOptions.TencentProvider}.")
            : await sender.SendCodeAsync(phone, code, ct);
        if (!result.Sent)
        {
            logger.LogWarning("A sign-in code was not sent ({Provider}): {Problem}", sender?.Provider ?? "none", result.Problem);
        }

        return result;
    }
}
