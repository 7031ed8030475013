namespace CommunityFunnel.Application.Webhooks;

/// <summary>Configuration section "Webhooks". Where requests may go is the channels' rule (Channels:AllowPrivateAddresses).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Requests one sender has on the wire at once; several instances each have their own.</summary>
    public int MaxConcurrentRequests { get; set; } = 32;

    /// <summary>How long a receiver has to answer (and again to send its answer's first bytes of body).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
