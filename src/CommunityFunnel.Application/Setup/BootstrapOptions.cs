namespace CommunityFunnel.Application.Setup;

/// <summary>Configuration section "Bootstrap": the first admin and an automation API key, ensured at start-up.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    public string? ApiKey { get; set; }
}
