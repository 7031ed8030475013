namespace CommunityFunnel.Domain.Members;

/// <summary>
/// A personal sign-in link an operator sends a member: it opens one session, once, before it expires, unless it was
/// revoked. Only a hash of its token is kept. <see cref="GroupIds"/> are the groups the session may see (null: all of
/// the member's groups), so a link an operator makes shows nothing of groups that operator does not run.
/// </summary>
public sealed class MemberLink
{
    private MemberLink()
    {
    }

    public MemberLink(Guid memberId, byte[] tokenHash, IReadOnlyList<Guid>? groupIds, string createdBy, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        MemberId = memberId;
        TokenHash = tokenHash;
        GroupIds = groupIds is null ? null : [.. groupIds];
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public byte[] TokenHash { get; private set; } = [];
    public List<Guid>? GroupIds { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
}
