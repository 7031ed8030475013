namespace CommunityFunnel.Domain.Members;

public enum SignInCodeProblem
{
    Used,
    Expired,
    TooManyAttempts,
}

/// <summary>
/// The one-time code last sent to a phone: one row per phone (keyed by a hash of it), replaced by each new code. Only a
/// salted hash of the code is kept. A row exists for phones no member has too (its code was never sent), so asking for
/// a code answers the same whether the phone is registered or not. What the code is for travels with it: joining a
/// group, or linking a verified Telegram account.
/// </summary>
public sealed class SignInCode
{
    public const int Digits = 6;
    public const int MaxAttempts = 5;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(60);

    private SignInCode()
    {
    }

    public SignInCode(byte[] phoneHash, Guid? memberId, byte[] salt, byte[] codeHash, SignInIntent intent, DateTimeOffset sentAt)
    {
        PhoneHash = phoneHash;
        MemberId = memberId;
        Salt = salt;
        CodeHash = codeHash;
        JoinGroupId = intent.JoinGroupId;
        TelegramUserId = intent.TelegramUserId;
        SentAt = sentAt;
        ExpiresAt = sentAt + Lifetime;
        WindowStartedAt = sentAt;
        SendsInWindow = 1;
    }

    public byte[] PhoneHash { get; private set; } = [];
    public Guid? MemberId { get; private set; }

    /// <summary>Random per code: it also tells one code of this phone from the next.</summary>
    public byte[] Salt { get; private set; } = [];
    public byte[] CodeHash { get; private set; } = [];
    public Guid? JoinGroupId { get; private set; }
    public long? TelegramUserId { get; private set; }
    public DateTimeOffset SentAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }

    /// <summary>Codes sent to this phone since <see cref="WindowStartedAt"/>: the per-phone limit.</summary>
    public int SendsInWindow { get; private set; }
    public DateTimeOffset WindowStartedAt { get; private set; }

    public SignInIntent Intent => new(JoinGroupId, TelegramUserId);

    /// <summary>Why this code can no longer be tried at <paramref name="now"/>, or null while it can.</summary>
    public SignInCodeProblem? ProblemAt(DateTimeOffset now) =>
        UsedAt is not null ? SignInCodeProblem.Used
        : ExpiresAt <= now ? SignInCodeProblem.Expired
        : Attempts >= MaxAttempts ? SignInCodeProblem.TooManyAttempts
        : null;

    /// <summary>When a new code may be sent: a minute after this one, unless this one was already used.</summary>
    public DateTimeOffset NextSendAt => UsedAt is null ? SentAt + ResendAfter : DateTimeOffset.MinValue;
}

/// <summary>What verifying the code does besides signing in: join a group, link a Telegram account (either, both or neither).</summary>
public sealed record SignInIntent(Guid? JoinGroupId = null, long? TelegramUserId = null)
{
    public static SignInIntent SignInOnly { get; } = new();
}
