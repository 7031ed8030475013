namespace CommunityFunnel.Domain.Groups;

public enum ChatPlatform
{
    WeCom,
    WeChat,
    Telegram,
    Discord,
    Slack,
    Other,
}
