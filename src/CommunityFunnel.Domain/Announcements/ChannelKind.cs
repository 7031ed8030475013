namespace CommunityFunnel.Domain.Announcements;

public enum ChannelKind
{
    /// <summary>A generic JSON webhook signed with HMAC-SHA256.</summary>
    Webhook,

    /// <summary>A WeCom group robot (/cgi-bin/webhook/send?key=…).</summary>
    WeCom,

    Telegram,
    Discord,
    Slack,

    /// <summary>No bot API (WeCom customer groups, personal WeChat): the operator posts by hand from a queue.</summary>
    Assisted,
}
