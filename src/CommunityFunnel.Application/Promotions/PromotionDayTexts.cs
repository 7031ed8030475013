namespace CommunityFunnel.Application.Promotions;

/// <summary>What the promotion day's countdown event says, in the group's language.</summary>
internal static class PromotionDayTexts
{
    public static string Title(string language) => language switch
    {
        "zh-Hans" => "会员推广日",
        "zh-Hant" => "會員推廣日",
        "es" => "Día de promoción para miembros",
        _ => "Member promotion day",
    };

    public static string Description(decimal multiplier, string language) => language switch
    {
        "zh-Hans" => $"今天推荐好友入群下单，返利 x{multiplier:0.##}！",
        "zh-Hant" => $"今天推薦好友入群下單，返利 x{multiplier:0.##}！",
        "es" => $"Hoy, recomienda a tus amigos: las comisiones valen x{multiplier:0.##}.",
        _ => $"Recommend friends today: rebates count x{multiplier:0.##}.",
    };
}
