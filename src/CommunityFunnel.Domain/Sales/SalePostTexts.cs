using System.Globalization;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Sales;

/// <summary>What a sale's posts say, in the group's language: the product, the price in the group's currency, the time there, the link.</summary>
public sealed record SaleFacts(SaleKind Kind, string Product, string Group, decimal Price, decimal? BestPrice, int? BestPriceFrom, string Currency, string? Country,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, TimeZoneInfo Zone, string Link, CultureInfo Culture);

/// <summary>The texts of the posts a sale makes about itself; the placeholders are <see cref="PostTemplate"/>'s plus {price}, {best}, {people}, {left}, {ends_at}.</summary>
public static class SalePostTexts
{
    public static string Teaser(SaleFacts sale, DateTimeOffset postedAt) => Render(sale, postedAt, sale.Kind == SaleKind.FlashSale
        ? Pick(sale.Culture,
            en: "⏰ Flash sale {countdown}: {event} at {price} · {starts_at} {link}",
            zhHans: "⏰ 限时抢购{countdown}开始：{event} {price} · {starts_at} {link}",
            zhHant: "⏰ 限時搶購{countdown}開始：{event} {price} · {starts_at} {link}",
            es: "⏰ Venta flash {countdown}: {event} a {price} · {starts_at} {link}")
        : Pick(sale.Culture,
            en: "⏰ Group-buy {countdown}: {event}, down to {best} with {people} people · {starts_at} {link}",
            zhHans: "⏰ 拼团{countdown}开始：{event}，{people}人成团低至{best} · {starts_at} {link}",
            zhHant: "⏰ 拼團{countdown}開始：{event}，{people}人成團低至{best} · {starts_at} {link}",
            es: "⏰ Compra en grupo {countdown}: {event}, hasta {best} con {people} personas · {starts_at} {link}"), left: null);

    public static string LiveNow(SaleFacts sale, DateTimeOffset postedAt) => Render(sale, postedAt, sale.Kind == SaleKind.FlashSale
        ? Pick(sale.Culture,
            en: "🔥 Flash sale now: {event} at {price}, until {ends_at} {link}",
            zhHans: "🔥 限时抢购进行中：{event} {price}，截至{ends_at} {link}",
            zhHant: "🔥 限時搶購進行中：{event} {price}，截至{ends_at} {link}",
            es: "🔥 Venta flash ya: {event} a {price}, hasta {ends_at} {link}")
        : Pick(sale.Culture,
            en: "👥 Group-buy open now: {event} at {price}, down to {best} with {people} people. Join by {ends_at} {link}",
            zhHans: "👥 拼团开始：{event} {price}，{people}人成团低至{best}，{ends_at}截止 {link}",
            zhHant: "👥 拼團開始：{event} {price}，{people}人成團低至{best}，{ends_at}截止 {link}",
            es: "👥 Compra en grupo abierta: {event} a {price}, hasta {best} con {people} personas. Únete antes de {ends_at} {link}"), left: null);

    public static string LowStock(SaleFacts sale, int left, DateTimeOffset postedAt) => Render(sale, postedAt, Pick(sale.Culture,
        en: "⚡ Only {left} left: {event} at {price} {link}",
        zhHans: "⚡ 仅剩{left}件：{event} {price} {link}",
        zhHant: "⚡ 僅剩{left}件：{event} {price} {link}",
        es: "⚡ Solo quedan {left}: {event} a {price} {link}"), left);

    public static string SoldOut(SaleFacts sale, DateTimeOffset postedAt) => Render(sale, postedAt, Pick(sale.Culture,
        en: "✅ Sold out: {event}. Thank you! Watch this group for the next one.",
        zhHans: "✅ 已抢光：{event}。谢谢大家！下一场请留意群消息。",
        zhHant: "✅ 已搶光：{event}。謝謝大家！下一場請留意群訊息。",
        es: "✅ Agotado: {event}. ¡Gracias! Atentos al grupo para la próxima."), left: null);

    /// <summary>A flash sale ends the same day or the next; a group-buy may close two weeks later, so it gets its date.</summary>
    private static string EndsAt(SaleFacts sale) =>
        LocalTimes.ToLocal(sale.EndsAt, sale.Zone).ToString(sale.Kind == SaleKind.FlashSale ? "HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Pick(CultureInfo culture, string en, string zhHans, string zhHant, string es) => culture.Name switch
    {
        "zh-Hans" => zhHans,
        "zh-Hant" => zhHant,
        "es" => es,
        _ => en,
    };

    private static string Render(SaleFacts sale, DateTimeOffset postedAt, string template, int? left)
    {
        var text = PostTemplate.Render(template, new PostContext(sale.Product, sale.Group, sale.StartsAt, sale.Zone, sale.Link, postedAt, sale.Culture));
        return text
            .Replace("{price}", MoneyText.Format(sale.Price, sale.Currency, sale.Country, sale.Culture), StringComparison.Ordinal)
            .Replace("{best}", MoneyText.Format(sale.BestPrice ?? sale.Price, sale.Currency, sale.Country, sale.Culture), StringComparison.Ordinal)
            .Replace("{people}", (sale.BestPriceFrom ?? 1).ToString(sale.Culture), StringComparison.Ordinal)
            .Replace("{left}", left?.ToString(sale.Culture) ?? "", StringComparison.Ordinal)
            .Replace("{ends_at}", EndsAt(sale), StringComparison.Ordinal)
            .Trim();
    }
}
