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
    public bool IsActive { get; private set; }

    /// <summary>Set by the dispatcher when the platform says this destination's budget is spent (Discord's headers, a 429).</summary>
    public DateTimeOffset? PausedUntil { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void SetActive(bool active) => IsActive = active;
}
