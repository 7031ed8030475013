using System.Collections.Concurrent;

namespace CommunityFunnel.Application.Access;

/// <summary>
/// The security stamps this instance has just replaced (disable, role or password change). Sessions that still carry
/// one are refused at once here; other instances notice the new stamp at their next check (at most
/// <see cref="MaxCheckInterval"/> later), which is why an entry only needs to live a little longer than that.
/// </summary>
public sealed class SessionRevocations(TimeProvider clock)
{
    /// <summary>The longest a session may go unchecked against the database, on any instance.</summary>
    public static readonly TimeSpan MaxCheckInterval = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<(string UserId, string Stamp), DateTimeOffset> _revoked = new();

    /// <summary>Raised with the user id after a revocation, so open Blazor circuits of that user can end now.</summary>
    public event Action<string>? Revoked;

    public void Revoke(string userId, string? oldStamp)
    {
        var now = clock.GetUtcNow();
        foreach (var entry in _revoked.Where(e => now - e.Value > 2 * MaxCheckInterval))
        {
            _revoked.TryRemove(entry.Key, out _);
        }

        if (!string.IsNullOrEmpty(oldStamp))
        {
            _revoked[(userId, oldStamp)] = now;
        }

        Revoked?.Invoke(userId);
    }

    public bool IsRevoked(string? userId, string? stamp) =>
        userId is not null && stamp is not null && _revoked.ContainsKey((userId, stamp));
}
