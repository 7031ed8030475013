namespace CommunityFunnel.Application.SignIn.Sms;

/// <summary>Whether the provider accepted the message; when not, why, in words that carry no phone, code or secret.</summary>
public sealed record SmsResult(bool Sent, string? Problem = null)
{
    public static SmsResult Accepted { get; } = new(true);

    public static SmsResult Refused(string problem) => new(false, problem);
}

/// <summary>One SMS provider, speaking its real wire format.</summary>
public interface ISmsSender
{
    string Provider { get; }

    Task<SmsResult> SendCodeAsync(string phone, string code, CancellationToken ct);
}

/// <summary>The text of a sign-in code message (providers with templates send the code and minutes as parameters instead).</summary>
public static class SmsText
{
    public static string SignInCode(string code) =>
        $"{code} is your sign-in code. It expires in {(int)Domain.Members.SignInCode.Lifetime.TotalMinutes} minutes. Never share it with anyone.";
}
