namespace CommunityFunnel.Domain.Sharing;

/// <summary>What a share poster says around the group's name, the person and the offer, in the group's language.</summary>
public static class PosterTexts
{
    public static string Invites(string person, string language) => Pick(language,
        en: $"{person} invites you to join",
        zhHans: $"{person} 邀请你加入",
        zhHant: $"{person} 邀請你加入",
        es: $"{person} te invita a unirte a");

    public static string JoinUs(string language) => Pick(language,
        en: "Come and join",
        zhHans: "欢迎加入",
        zhHant: "歡迎加入",
        es: "Únete a");

    public static string OfferOfTheDay(string language) => Pick(language,
        en: "Today's offer",
        zhHans: "今日特惠",
        zhHant: "今日特惠",
        es: "Oferta del día");

    /// <summary>The poster's line when no sale is on or coming: why join at all.</summary>
    public static string WhyJoin(string language) => Pick(language,
        en: "Flash sales and group-buys for members, every week",
        zhHans: "群成员专享限时抢购和拼团，每周都有",
        zhHant: "群成員專享限時搶購和拼團，每週都有",
        es: "Ventas flash y compras en grupo para miembros, cada semana");

    public static string FlashSale(string product, string price, string language) => Pick(language,
        en: $"Flash sale: {product} at {price}",
        zhHans: $"限时抢购：{product} {price}",
        zhHant: $"限時搶購：{product} {price}",
        es: $"Venta flash: {product} a {price}");

    public static string GroupBuy(string product, string price, string language) => Pick(language,
        en: $"Group-buy: {product} at {price}",
        zhHans: $"拼团：{product} {price}",
        zhHant: $"拼團：{product} {price}",
        es: $"Compra en grupo: {product} a {price}");

    public static string ScanToJoin(string language) => Pick(language,
        en: "Scan to join",
        zhHans: "扫码入群",
        zhHant: "掃碼入群",
        es: "Escanea para unirte");

    private static string Pick(string language, string en, string zhHans, string zhHant, string es) => language switch
    {
        "zh-Hans" => zhHans,
        "zh-Hant" => zhHant,
        "es" => es,
        _ => en,
    };
}
