namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>Configuration section "Channels". Base URLs are configurable so tests point connectors at a loopback server.</summary>
public sealed class ChannelOptions
{
    public const string Section = "Channels";

    /// <summary>Outbound requests to loopback or private addresses are refused (SSRF) unless this is on (Development, tests).</summary>
    public bool AllowPrivateAddresses { get; set; }

    public PlatformOptions WeCom { get; set; } = new() { BaseUrl = "https://qyapi.weixin.qq.com" };
    public PlatformOptions Telegram { get; set; } = new() { BaseUrl = "https://api.telegram.org" };

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where platforms fetch a post's picture: the app's public address (App:PublicBaseUrl, filled in by the web host).
    /// Without one (Development) pictures cannot be reached from outside, and posts go out as text alone.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}

public sealed class PlatformOptions
{
    public string BaseUrl { get; set; } = "";
}
