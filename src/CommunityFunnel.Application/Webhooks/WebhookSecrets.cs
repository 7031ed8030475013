using Microsoft.AspNetCore.DataProtection;

namespace CommunityFunnel.Application.Webhooks;

/// <summary>Signing secrets at rest: Data Protection, whose keys live in PostgreSQL so every instance can read them.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("CommunityFunnel.WebhookSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    /// <summary>What people may see of a secret: its last four characters.</summary>
    public static string Hint(string secret) => "…" + secret[^4..];
}
