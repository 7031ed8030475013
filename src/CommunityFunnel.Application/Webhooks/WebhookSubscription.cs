namespace CommunityFunnel.Application.Webhooks;

/// <summary>
/// An address that receives the published events it names, signed with its own secret. The secret is stored only in
/// protected form (<see cref="WebhookSecrets"/>); <see cref="SecretHint"/> is what people see.
/// </summary>
public sealed class WebhookSubscription
{
    public const int UrlMaxLength = 2000;

    private WebhookSubscription()
    {
    }

    public WebhookSubscription(string url, IReadOnlyList<string> events, string protectedSecret, string secretHint, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        Url = url;
        Events = [.. events];
        ProtectedSecret = protectedSecret;
        SecretHint = secretHint;
        CreatedAt = createdAt;
        IsActive = true;
    }

    public Guid Id { get; private set; }
    public string Url { get; private set; } = "";

    /// <summary>Published event names (<see cref="Events.PublishedEvents"/>).</summary>
    public List<string> Events { get; private set; } = [];
    public string ProtectedSecret { get; private set; } = "";
    public string SecretHint { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Events are queued for active subscriptions only, and only theirs are sent.</summary>
    public bool IsActive { get; private set; }

    /// <summary>Set by the sender when the receiver asked for a pause (Retry-After) or gave no answer: none of its deliveries go out before.</summary>
    public DateTimeOffset? PausedUntil { get; private set; }

    public void Disable() => IsActive = false;

    public void Enable() => IsActive = true;
}
