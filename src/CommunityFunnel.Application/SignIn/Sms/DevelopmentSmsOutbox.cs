namespace CommunityFunnel.Application.SignIn.Sms;

/// <summary>A code message that was not sent, kept for the development-only page.</summary>
public sealed record OutboxMessage(string Phone, string Text, DateTimeOffset At);

/// <summary>
/// Development without an SMS provider: messages are kept in memory (the last few) and shown on a page that exists only
/// in Development, so a developer can sign in as any demo member.
/// </summary>
public sealed class DevelopmentSmsOutbox(TimeProvider clock) : ISmsSender
{
    private const int Kept = 20;
    private readonly Lock _gate = new();
    private readonly LinkedList<OutboxMessage> _messages = new();

    public string Provider => "Development outbox";

    public IReadOnlyList<OutboxMessage> Recent
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public Task<SmsResult> SendCodeAsync(string phone, string code, CancellationToken ct)
    {
        lock (_gate)
        {
            _messages.AddFirst(new OutboxMessage(phone, SmsText.SignInCode(code), clock.GetUtcNow()));
            while (_messages.Count > Kept)
            {
                _messages.RemoveLast();
            }
        }

        return Task.FromResult(SmsResult.Accepted);
    }
}
