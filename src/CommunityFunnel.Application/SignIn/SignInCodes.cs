using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.SignIn.Sms;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.SignIn;

/// <summary>When the next code may be asked for, and until when this one works.</summary>
public sealed record CodeSent(string Phone, DateTimeOffset NextSendAt, DateTimeOffset ExpiresAt);

/// <summary>A code that matched: whose phone it proved, and what it was asked for.</summary>
public sealed record CodeVerified(Guid MemberId, SignInIntent Intent);

/// <summary>
/// One-time codes by SMS: 6 digits, valid 10 minutes, 5 tries, a new one after 60 seconds, a few per phone and per client
/// address each hour. Every decision that must hold across instances and concurrent requests is one conditional UPDATE:
/// sending claims the phone's row, each try counts itself before it is judged, and a matching code is spent by exactly
/// one request. A phone no member has gets the same answers, and nothing is sent to it.
/// </summary>
public sealed class SignInCodes(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    TimeProvider clock,
    RateCounters counters,
    SmsGateway sms,
    IOptionsMonitor<SignInLimits> limits)
{
    // A 6-digit code is guessed offline in a moment from a plain hash: a slow, salted hash makes a leaked row useless
    // within the code's 10 minutes.
    private const int HashIterations = 100_000;
    private const int SaltBytes = 16;

    /// <param name="country">The group's country, for a phone written without its country code.</param>
    public async Task<Result<CodeSent>> SendAsync(string? phone, string? country, SignInIntent intent, string clientAddress, CancellationToken ct)
    {
        if (CheckPhone(phone, country) is { } invalid)
        {
            return Failure.Invalid([invalid]);
        }

        var normalized = Normalize(phone, country)!;
        var settings = limits.CurrentValue;
        var byAddress = await counters.HitAsync("sign-in-code:" + clientAddress, settings.CodesPerAddressPerHour, SignInLimits.Window, ct);
        if (!byAddress.Allowed)
        {
            return TooManyFromAddress(byAddress);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var memberId = await db.Members.Where(m => m.Phone == normalized).Select(m => (Guid?)m.Id).SingleOrDefaultAsync(ct);
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var fresh = new SignInCode(PhoneKey(normalized), memberId, salt, Hash(code, salt), intent, clock.GetUtcNow());

        var refusal = await ClaimAsync(db, fresh, settings.CodesPerPhonePerHour, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        if (memberId is not null && !(await sms.SendCodeAsync(normalized, code, ct)).Sent)
        {
            await ReleaseAsync(db, fresh, ct);
            return Failure.Unprocessable("sms_failed", "We could not send the code. Please try again.", "phone");
        }

        return new CodeSent(normalized, fresh.NextSendAt, fresh.ExpiresAt);
    }

    public async Task<Result<CodeVerified>> VerifyAsync(string? phone, string? country, string? code, string clientAddress, CancellationToken ct)
    {
        var errors = new List<RuleViolation>();
        errors.AddIfAny(CheckPhone(phone, country));
        var digits = (code ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length != SignInCode.Digits || !digits.All(char.IsAsciiDigit))
        {
            errors.Add(new RuleViolation("invalid_code", $"Enter the {SignInCode.Digits}-digit code from the SMS.", "code"));
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        var byAddress = await counters.HitAsync("sign-in-check:" + clientAddress, limits.CurrentValue.ChecksPerAddressPerHour, SignInLimits.Window, ct);
        if (!byAddress.Allowed)
        {
            return TooManyFromAddress(byAddress);
        }

        var key = PhoneKey(Normalize(phone, country)!);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.SignInCodes.AsNoTracking().SingleOrDefaultAsync(c => c.PhoneHash == key, ct);
        if (row is null)
        {
            return Failure.Unprocessable("no_code", "Ask for a code first.", "code");
        }

        if (row.ProblemAt(now) is { } problem)
        {
            return Refusal(problem);
        }

        // The try is counted before it is judged, so parallel guesses cannot get past the fifth.
        var counted = await db.SignInCodes
            .Where(c => c.PhoneHash == key && c.Salt == row.Salt && c.UsedAt == null && c.ExpiresAt > now && c.Attempts < SignInCode.MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), ct);
        if (counted == 0)
        {
            var current = await db.SignInCodes.AsNoTracking().SingleAsync(c => c.PhoneHash == key, ct);
            return Refusal(current.Salt.SequenceEqual(row.Salt) ? current.ProblemAt(now) ?? SignInCodeProblem.Used : SignInCodeProblem.Expired);
        }

        var matches = CryptographicOperations.FixedTimeEquals(Hash(digits, row.Salt), row.CodeHash);
        if (!matches || row.MemberId is not { } memberId)
        {
            return row.Attempts + 1 >= SignInCode.MaxAttempts
                ? Failure.Unprocessable("wrong_code_last", "That code is not right, and that was the last try: ask for a new code.", "code")
                : Failure.Unprocessable("wrong_code", "That code is not right. Check the SMS and try again.", "code");
        }

        var spent = await db.SignInCodes.Where(c => c.PhoneHash == key && c.Salt == row.Salt && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct);
        return spent == 1 ? new CodeVerified(memberId, row.Intent) : Refusal(SignInCodeProblem.Used);
    }

    /// <summary>The phone as members are stored by, or null when it is not a phone number.</summary>
    public static string? Normalize(string? phone, string? country) => PhoneNormalizer.Normalize(phone, country);

    private static RuleViolation? CheckPhone(string? phone, string? country) =>
        string.IsNullOrWhiteSpace(phone)
            ? new RuleViolation("phone_required", "Enter your phone number.", "phone")
            : PhoneNormalizer.CheckOptional(phone, country, "phone", out _);

    /// <summary>
    /// Makes <paramref name="fresh"/> the phone's code: replaces the last one when a new one is allowed (a minute after it,
    /// or once it was used) and the phone has codes left this hour; inserts the first. Null when claimed, else why not.
    /// </summary>
    private static async Task<Failure?> ClaimAsync(CommunityFunnelDbContext db, SignInCode fresh, int perPhone, CancellationToken ct)
    {
        var now = fresh.SentAt;
        var resendFrom = now - SignInCode.ResendAfter;
        var windowStale = now - SignInLimits.Window;
        var replaced = await db.SignInCodes
            .Where(c => c.PhoneHash == fresh.PhoneHash
                && (c.UsedAt != null || c.SentAt <= resendFrom)
                && (c.WindowStartedAt <= windowStale || c.SendsInWindow < perPhone))
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.MemberId, fresh.MemberId)
                .SetProperty(c => c.Salt, fresh.Salt)
                .SetProperty(c => c.CodeHash, fresh.CodeHash)
                .SetProperty(c => c.JoinGroupId, fresh.JoinGroupId)
                .SetProperty(c => c.TelegramUserId, fresh.TelegramUserId)
                .SetProperty(c => c.SentAt, now)
                .SetProperty(c => c.ExpiresAt, fresh.ExpiresAt)
                .SetProperty(c => c.Attempts, 0)
                .SetProperty(c => c.UsedAt, (DateTimeOffset?)null)
                .SetProperty(c => c.SendsInWindow, c => c.WindowStartedAt <= windowStale ? 1 : c.SendsInWindow + 1)
                .SetProperty(c => c.WindowStartedAt, c => c.WindowStartedAt <= windowStale ? now : c.WindowStartedAt), ct);
        if (replaced == 1)
        {
            return null;
        }

        var last = await db.SignInCodes.AsNoTracking().SingleOrDefaultAsync(c => c.PhoneHash == fresh.PhoneHash, ct);
        if (last is null)
        {
            try
            {
                db.SignInCodes.Add(fresh);
                await db.SaveChangesAsync(ct);
                return null;
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                return TooSoon(); // a request for the same phone inserted its code a moment earlier
            }
        }

        return last.NextSendAt > now
            ? TooSoon()
            : Failure.Unprocessable("too_many_codes", $"Too many codes were sent to this phone: try again in {Minutes(last.WindowStartedAt + SignInLimits.Window - now)} minutes.", "phone");
    }

    /// <summary>A code the provider did not send costs nothing: no wait for the next one, not counted against the phone.</summary>
    private static Task<int> ReleaseAsync(CommunityFunnelDbContext db, SignInCode unsent, CancellationToken ct) =>
        db.SignInCodes.Where(c => c.PhoneHash == unsent.PhoneHash && c.Salt == unsent.Salt)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.CodeHash, Array.Empty<byte>())
                .SetProperty(c => c.SentAt, unsent.SentAt - SignInCode.ResendAfter)
                .SetProperty(c => c.ExpiresAt, unsent.SentAt)
                .SetProperty(c => c.SendsInWindow, c => c.SendsInWindow - 1), ct);

    private static Failure TooSoon() =>
        Failure.Unprocessable("resend_too_soon", $"A new code can be sent {SignInCode.ResendAfter.TotalSeconds:0} seconds after the last one.", "phone");

    private static Failure TooManyFromAddress(RateDecision decision) =>
        Failure.Unprocessable("too_many_requests", $"Too many tries from your network: try again in {Minutes(decision.RetryAfter)} minutes.");

    private static Failure Refusal(SignInCodeProblem problem) => problem switch
    {
        SignInCodeProblem.Used => Failure.Unprocessable("code_used", "This code has already been used: ask for a new one.", "code"),
        SignInCodeProblem.Expired => Failure.Unprocessable("code_expired", "This code has expired: ask for a new one.", "code"),
        _ => Failure.Unprocessable("too_many_attempts", $"This code was tried {SignInCode.MaxAttempts} times: ask for a new one.", "code"),
    };

    private static int Minutes(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));

    private static byte[] PhoneKey(string normalizedPhone) => SHA256.HashData(Encoding.UTF8.GetBytes(normalizedPhone));

    private static byte[] Hash(string code, byte[] salt) => Rfc2898DeriveBytes.Pbkdf2(code, salt, HashIterations, HashAlgorithmName.SHA256, 32);
}
