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

        return await AddKeyAsync(db, actor, cleanName, role, role == Roles.Operator ? operatorUserId : null, "", ct);
    }

    /// <summary>Forgets every key this instance checked recently, so a revoked key or a disabled user's key fails at once here.</summary>
    public void ForgetKnownKeys() => _known.Clear();

    /// <summary>A key that acts as this user, with the user's role at each request; it stops when the user is disabled.</summary>
    public async Task<Result<CreatedApiKey>> CreateForUserAsync(Actor actor, string? userId, string? name, CancellationToken ct)
    {
        if (!actor.IsAdmin)
        {
            return Failure.Forbidden("API keys");
        }

        var nameError = TextRules.CheckName(name, "name", ApiKey.NameMaxLength, out var cleanName);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.Email, Role = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name).FirstOrDefault() })
            .SingleOrDefaultAsync(ct);
        var errors = new List<RuleViolation>();
        if (nameError is not null)
        {
            errors.Add(nameError);
        }

        if (user?.Role is null)
        {
            errors.Add(new RuleViolation("unknown_user", "userId must be the id of an admin or operator account.", "userId"));
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        return await AddKeyAsync(db, actor, cleanName, user!.Role!, user.Id, $" acting as {user.Email}", ct);
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
        ForgetKnownKeys();
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
        // A key that belongs to a user acts with that user's current role, and not at all once the user is disabled.
        var key = await (
                from k in db.ApiKeys.AsNoTracking()
                where k.Hash == hash && k.RevokedAt == null
                      && (k.UserId == null || db.Users.Any(u => u.Id == k.UserId && u.DisabledAt == null))
                select new ApiKeyIdentity(k.Id, k.Name,
                    k.UserId == null
                        ? k.Role
                        : (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == k.UserId select r.Name).FirstOrDefault() ?? "",
                    k.UserId))
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

    private async Task<CreatedApiKey> AddKeyAsync(
        CommunityFunnelDbContext db, Actor actor, string name, string role, string? userId, string auditNote, CancellationToken ct)
    {
        var secret = SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var key = new ApiKey(name, secret[..10], Hash(secret), role, userId, now);
        db.ApiKeys.Add(key);
        db.Audit(now, AuditCategory.Access, actor, "api-key.created", name, $"{role} key {key.Prefix}…{auditNote}");
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(key.Id, secret);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
