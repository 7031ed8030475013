using System.Globalization;
using System.Security.Cryptography;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Portal;

public enum MagicLinkProblem
{
    Invalid,
    Expired,
}

/// <summary>
/// Personal sign-in links an operator copies for a member: the member id and an expiry, encrypted and signed with the
/// app's Data Protection keys (shared by every instance), so a link cannot be forged, altered or used after it expires.
/// </summary>
public sealed class MemberLinks(IDataProtectionProvider protection, IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    private readonly IDataProtector _protector = protection.CreateProtector("CommunityFunnel.MemberMagicLink.v1");

    /// <summary>The token for /m/{token}, for a member the operator can see.</summary>
    public async Task<Result<string>> CreateAsync(Actor actor, Guid memberId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindMemberForAsync(actor, memberId, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var expires = clock.GetUtcNow() + Lifetime;
        return _protector.Protect($"{memberId:N}|{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The member a token signs in, or why it cannot.</summary>
    public (Guid? MemberId, MagicLinkProblem? Problem) Redeem(string token)
    {
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return (null, MagicLinkProblem.Invalid);
        }

        var parts = payload.Split('|');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var memberId)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresUnix))
        {
            return (null, MagicLinkProblem.Invalid);
        }

        return clock.GetUtcNow().ToUnixTimeSeconds() >= expiresUnix ? (null, MagicLinkProblem.Expired) : (memberId, null);
    }
}
