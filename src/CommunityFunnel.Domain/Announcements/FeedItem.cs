namespace CommunityFunnel.Domain.Announcements;

/// <summary>Every post also lands in its group's in-app feed, once (the post id is the key).</summary>
public sealed class FeedItem
{
    private FeedItem()
    {
    }

    public Guid PostId { get; private set; }
    public Guid GroupId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset PublishedAt { get; private set; }
}
