namespace CommunityFunnel.Domain.Announcements;

/// <summary>
/// Where a group's posts go. The secret (robot key, bot token, webhook URL, signing secret) is stored only in
/// protected form; <see cref="Hint"/> is what people see ("key …3f9a").
/// </summary>
public sealed class Channel
{
    public const int NameMaxLength = 100;

    private Channel()
    {
    }

    public Channel(Guid groupId, ChannelKind kind, string name, string protectedSecret, string hint, string? chatId, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        GroupId = groupId;
        Kind = kind;
        Name = name;
        ProtectedSecret = protectedSecret;
        Hint = hint;
        ChatId = chatId;
        CreatedAt = createdAt;
        IsActive = true;
    }

    public Guid Id { get; private set; }
    public Guid GroupId { get; private set; }
    public ChannelKind Kind { get; private set; }
    public string Name { get; private set; } = "";
    public string ProtectedSecret { get; private set; } = "";
    public string Hint { get; private set; } = "";
    public string? ChatId { get; private set; }
    /// <summary>Posts are created for active channels only (an operator deactivates one, and deleting one deactivates it).</summary>
    public bool IsActive { get; private set; }

    /// <summary>Set by the dispatcher when the platform says this destination's budget is spent (Discord's headers, a 429).</summary>
    public DateTimeOffset? PausedUntil { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Paused by an operator: its posts are still created but wait, and expire at their deadline, until it is resumed.</summary>
    public DateTimeOffset? PausedAt { get; private set; }

    /// <summary>Deleted by an operator: gone from the channel list, kept so the delivery history still names it.</summary>
    public DateTimeOffset? DeletedAt { get; private set; }

    public void Pause(DateTimeOffset at) => PausedAt ??= at;

    public void Resume() => PausedAt = null;

    /// <summary>No posts are created for an inactive channel; the caller cancels those already waiting.</summary>
    public void Deactivate() => IsActive = false;

    public void Activate() => IsActive = DeletedAt is null;

    public void Delete(DateTimeOffset at)
    {
        DeletedAt ??= at;
        IsActive = false;
    }
}
