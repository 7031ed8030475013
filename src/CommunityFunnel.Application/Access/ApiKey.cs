namespace CommunityFunnel.Application.Access;

/// <summary>
/// A bearer key for /api/v1. Only its SHA-256 hash is stored; the secret is shown once. An operator key acts with
/// its operator's groups; an admin key sees everything.
/// </summary>
public sealed class ApiKey
{
    public const int NameMaxLength = 100;

    private ApiKey()
    {
    }

    public ApiKey(string name, string prefix, string hash, string role, string? userId, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        Name = name;
        Prefix = prefix;
        Hash = hash;
        Role = role;
        UserId = userId;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Prefix { get; private set; } = "";
    public string Hash { get; private set; } = "";
    public string Role { get; private set; } = "";
    public string? UserId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool Revoke(DateTimeOffset at)
    {
        if (RevokedAt is not null)
        {
            return false;
        }

        RevokedAt = at;
        return true;
    }
}
