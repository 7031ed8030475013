namespace CommunityFunnel.Application.Common;

/// <summary>
/// The <c>Idempotency-Key</c> a client sends so a retried request (after a timeout, say) returns the first answer
/// instead of acting twice. One rule for every endpoint that takes one.
/// </summary>
public static class IdempotencyKeys
{
    public const int MaxLength = 100;
    public const string Field = "Idempotency-Key";

    /// <summary>Why <paramref name="key"/> cannot be used; null when it is absent or well formed.</summary>
    public static Failure? Problem(string? key) =>
        key is not null && (key.Length is 0 or > MaxLength || key.Any(c => c is < '!' or > '~'))
            ? Failure.Invalid("invalid_idempotency_key", $"An Idempotency-Key is 1 to {MaxLength} visible ASCII characters.", Field)
            : null;

    /// <summary>The key was used before for something else; nothing is done with it.</summary>
    public static Failure Reused(string usedFor) =>
        Failure.Unprocessable("idempotency_key_reused", $"This Idempotency-Key was already used for {usedFor}.", Field);
}
