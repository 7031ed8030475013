using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>What a connector needs to post: a webhook URL, a robot key, a bot token, a signing secret.</summary>
public sealed record ChannelSecret(string? Url = null, string? Key = null, string? Token = null, string? Secret = null)
{
    /// <summary>What people may see: the last four characters of the most identifying part.</summary>
    public string Hint()
    {
        var shown = Key ?? Token ?? Url ?? Secret ?? "";
        return shown.Length <= 4 ? "…" : "…" + shown[^4..];
    }

    /// <summary>Platforms sometimes echo what they were sent: no key or token is ever stored, shown or logged.</summary>
    public string Scrub(string text) =>
        new[] { Url, Key, Token, Secret }.OfType<string>().Where(v => v.Length >= 4)
            .Aggregate(text, (scrubbed, value) => scrubbed.Replace(value, "[secret]", StringComparison.Ordinal));
}

/// <summary>Channel secrets at rest: Data Protection, whose keys live in PostgreSQL so every instance can read them.</summary>
public sealed class ChannelSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("CommunityFunnel.ChannelSecrets.v1");

    public string Protect(ChannelSecret secret) => _protector.Protect(JsonSerializer.Serialize(secret));

    public ChannelSecret Unprotect(string protectedSecret) =>
        JsonSerializer.Deserialize<ChannelSecret>(_protector.Unprotect(protectedSecret)) ?? new ChannelSecret();
}
