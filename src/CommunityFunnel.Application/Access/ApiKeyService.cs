using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Access;

public sealed record ApiKeyRow(Guid Id, string Name, string Prefix, string Role, string? UserEmail, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>The secret is returned once, at creation; only its hash is kept.</summary>
public sealed record CreatedApiKey(Guid Id, string Secret);

public sealed record ApiKeyIdentity(Guid KeyId, string Name, string Role, string? UserId);

public sealed class ApiKeyService(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>
    /// How long an instance trusts a key it has checked. A revocation takes effect at once on the instance that made it
    /// and within this time on the others; meanwhile a flash-sale rush costs no key lookup per request.
    /// </summary>
    public static readonly TimeSpan KnownKeyMemory = TimeSpan.FromSeconds(10);

    private const string SecretPrefix = "cf_";
    private const int MaxRememberedKeys = 10_000;
    private readonly ConcurrentDictionary<string, (ApiKeyIdentity Key, DateTimeOffset Until)> _known = new();

    public async Task<Result<IReadOnlyList<ApiKeyRow>>> ListAsync(Actor actor, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("API keys");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (
                from k in db.ApiKeys
                join u in db.Users on k.UserId equals u.Id into users
                from u in users.DefaultIfEmpty()
                orderby k.CreatedAt descending
                select new ApiKeyRow(k.Id, k.Name, k.Prefix, k.Role, u != null ? u.Email : null, k.CreatedAt, k.RevokedAt))
            .ToListAsync(ct);
    }

    /// <summary>Creates a key with a role; an operator key must name the operator whose groups it acts on.</summary>
    public async Task<Result<CreatedApiKey>> CreateAsync(Actor actor, string? name, string role, string? operatorUserId, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("API keys");
        }

        var errors = new List<RuleViolation>();
        var nameError = TextRules.CheckName(name, "name", ApiKey.NameMaxLength, out var cleanName);
        if (nameError is not null)
        {
            errors.Add(nameError);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (role == Roles.Operator)
        {
            var isOperator = operatorUserId is not null && await (
                from ur in db.UserRoles
                join r in db.Roles on ur.RoleId equals r.Id
                where ur.UserId == operatorUserId && r.Name == Roles.Operator
                select ur).AnyAsync(ct);
            if (!isOperator)
            {
                errors.Add(new RuleViolation("operator_required", "An operator key must belong to an operator account.", "userId"));
            }
        }
        else if (role != Roles.Admin)
        {
            errors.Add(new RuleViolation("unknown_role", "Role must be Admin or Operator.", "role"));
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        var secret = SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var key = new ApiKey(cleanName, secret[..10], Hash(secret), role, role == Roles.Operator ? operatorUserId : null, now);
        db.ApiKeys.Add(key);
        db.Audit(now, AuditCategory.Access, actor, "api-key.created", cleanName, $"{role} key {key.Prefix}…");
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(key.Id, secret);
    }

    public async Task<Result<bool>> RevokeAsync(Actor actor, Guid keyId, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("API keys");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId, ct);
        if (key is null)
        {
            return Failure.NotFound("The API key");
        }

        var now = clock.GetUtcNow();
        _known.Clear();
        if (key.Revoke(now))
        {
            db.Audit(now, AuditCategory.Access, actor, "api-key.revoked", key.Name, $"{key.Role} key {key.Prefix}…");
            await db.SaveChangesAsync(ct);
        }

        return true;
    }

    public async Task<ApiKeyIdentity?> AuthenticateAsync(string secret, CancellationToken ct)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            return null;
        }

        var hash = Hash(secret);
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(hash, out var known) && now < known.Until && now >= known.Until - KnownKeyMemory)
        {
            return known.Key;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Hash == hash && k.RevokedAt == null)
            .Select(k => new ApiKeyIdentity(k.Id, k.Name, k.Role, k.UserId))
            .SingleOrDefaultAsync(ct);
        if (key is null)
        {
            _known.TryRemove(hash, out _);
            return null;
        }

        if (_known.Count >= MaxRememberedKeys)
        {
            _known.Clear(); // only unknown-key floods get here; real deployments have a handful of keys
        }

        _known[hash] = (key, now + KnownKeyMemory);
        return key;
    }

    /// <summary>Makes sure the key from configuration (Bootstrap:ApiKey) works as an admin key; idempotent.</summary>
    public async Task EnsureBootstrapKeyAsync(string secret, CancellationToken ct)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length < 24)
        {
            throw new InvalidOperationException($"Bootstrap:ApiKey must start with '{SecretPrefix}' and be at least 24 characters long.");
        }

        var hash = Hash(secret);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.ApiKeys.AnyAsync(k => k.Hash == hash, ct))
        {
            return;
        }

        db.ApiKeys.Add(new ApiKey("Bootstrap (configuration)", secret[..10], hash, Roles.Admin, null, clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
