namespace CommunityFunnel.Application.SignIn;

/// <summary>
/// Configuration section "TelegramLogin": the bot whose Login Widget Telegram groups offer on their sign-in page (its
/// domain set with @BotFather's /setdomain). Without both values the widget is not offered.
/// </summary>
public sealed class TelegramLoginOptions
{
    public const string Section = "TelegramLogin";

    public string BotUsername { get; set; } = "";
    public string BotToken { get; set; } = "";

    public bool IsEnabled => BotUsername.Length > 0 && BotToken.Length > 0;
}
