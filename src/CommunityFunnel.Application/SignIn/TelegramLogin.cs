using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Application.SignIn;

/// <summary>A Telegram account whose Login Widget data was verified.</summary>
public sealed record TelegramUser(long Id, DateTimeOffset AuthDate);

/// <summary>
/// Telegram Login Widget data, checked on the server (core.telegram.org/widgets/login#checking-authorization): the hash
/// is HMAC-SHA256 of the data-check-string (every received field but hash, as key=value lines sorted by key) keyed with
/// SHA-256 of the bot token, and auth_date is at most a day old.
/// </summary>
public sealed class TelegramLogin(
    IOptionsMonitor<TelegramLoginOptions> options,
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    IDataProtectionProvider protection,
    TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    /// <summary>How long a verified but unlinked Telegram account waits for its phone to be confirmed.</summary>
    public static readonly TimeSpan LinkWindow = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly ITimeLimitedDataProtector _pending = protection.CreateProtector("CommunityFunnel.TelegramLink.v1").ToTimeLimitedDataProtector();

    public bool IsEnabled => options.CurrentValue.IsEnabled;

    public string BotUsername => options.CurrentValue.BotUsername;

    public Result<TelegramUser> Verify(IReadOnlyDictionary<string, string> fields)
    {
        var settings = options.CurrentValue;
        if (!settings.IsEnabled)
        {
            return Failure.Unprocessable("telegram_disabled", "Telegram Login is not set up.");
        }

        var forged = Failure.Unprocessable("telegram_forged", "The Telegram sign-in could not be verified: start it again from this page.");
        if (!fields.TryGetValue("hash", out var hash) || hash.Length != 64)
        {
            return forged;
        }

        var dataCheckString = string.Join('\n', fields.Where(f => f.Key != "hash").OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));
        var secret = SHA256.HashData(Encoding.UTF8.GetBytes(settings.BotToken));
        var expected = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(dataCheckString));
        if (!TryHex(hash, out var given) || !CryptographicOperations.FixedTimeEquals(expected, given)
            || !fields.TryGetValue("id", out var idText) || !long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !fields.TryGetValue("auth_date", out var dateText) || !long.TryParse(dateText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return forged;
        }

        var authDate = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var age = clock.GetUtcNow() - authDate;
        return age > MaxAge || age < -ClockSkew
            ? Failure.Unprocessable("telegram_stale", "This Telegram sign-in is more than a day old: start it again from this page.")
            : new TelegramUser(id, authDate);
    }

    /// <summary>The member this Telegram account signs in, if it was linked.</summary>
    public async Task<Guid?> MemberOfAsync(long telegramUserId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Members.Where(m => m.TelegramUserId == telegramUserId).Select(m => (Guid?)m.Id).SingleOrDefaultAsync(ct);
    }

    /// <summary>A verified, unlinked account carried through the phone step: signed, and useless after <see cref="LinkWindow"/>.</summary>
    public string ProtectPending(TelegramUser user) => _pending.Protect(user.Id.ToString(CultureInfo.InvariantCulture), LinkWindow);

    public long? UnprotectPending(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return long.Parse(_pending.Unprotect(token), CultureInfo.InvariantCulture);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static bool TryHex(string hex, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
