using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Promotions;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.Domain.Referrals;
using CommunityFunnel.Domain.Sales;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.Application.Demo;

/// <summary>
/// Three groups in three time zones and currencies, about 1,500 members and 90 days of orders, a live flash sale
/// and an open group-buy each, so that a newcomer finds a real funnel. Built through the same domain methods as live data; deterministic for a given clock.
/// </summary>
public sealed class DemoDataSeeder(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<DemoDataSeeder> logger)
{
    public const string OperatorEmail = "operator@communityfunnel.local";
    public const string OperatorPassword = "demo-operator-2026";
    public const int MembersPerGroup = 500;

    /// <summary>The first demo group's member promotion day: the 18th, rebates x2.</summary>
    public const int DemoPromotionDay = 18;

    /// <summary>
    /// A demo group. Phones are valid E.164 numbers of its country, unique by the member's number in the last four
    /// digits: the prefix, then a random number in <see cref="PhoneBlock"/> (all of one length), then those four.
    /// </summary>
    private sealed record DemoGroup(GroupSettings Settings, string[] FirstNames, string[] LastNames, string PhonePrefix, Range PhoneBlock,
        (string Name, FunnelStage Tier, decimal Price, ProductKind Kind)[] Products, string PaymentInstructions);

    public async Task SeedIfEmptyAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Groups.AnyAsync(ct))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var random = new Random(2026);
        await SeedCommissionPlansAsync(db, Groups().Select(g => g.Settings.Currency).Distinct(), ct);
        var groupIds = new List<Guid>();
        foreach (var demo in Groups())
        {
            groupIds.Add(SeedGroup(db, demo, now, random));
        }

        db.PromotionDays.Add(new PromotionDay(groupIds[0], DemoPromotionDay, 2m, giftProductId: null));

        await db.SaveChangesAsync(ct);
        await CreateOperatorAsync(db, groupIds.Take(2).ToList(), ct);
        logger.LogInformation("Seeded demo data: {Groups} groups, {Members} members each", groupIds.Count, MembersPerGroup);
    }

    /// <summary>
    /// A plan per demo currency before the orders are saved, so the referred members' payments earn their referrers
    /// rebates through the ledger as real ones would (and their refunds take them back).
    /// </summary>
    private static async Task SeedCommissionPlansAsync(CommunityFunnelDbContext db, IEnumerable<string> currencies, CancellationToken ct)
    {
        foreach (var currency in currencies)
        {
            if (!await db.CommissionPlans.AnyAsync(p => p.Currency == currency, ct))
            {
                db.CommissionPlans.Add(new CommissionPlan(currency, new CommissionTerms(
                    Level1Percent: 10m, Level2Percent: 5m, CommissionPlan.DefaultHoldDays, MinOrderAmount: null, PerOrderCap: null,
                    IncludeTraffic: false, IncludeFlashSales: true, Tiers: [])));
            }
        }
    }

    private static Guid SeedGroup(CommunityFunnelDbContext db, DemoGroup demo, DateTimeOffset now, Random random)
    {
        var group = new Group(demo.Settings, now.AddDays(-120));
        group.SetPaymentInstructions(demo.PaymentInstructions);
        db.Groups.Add(group);
        var products = demo.Products.Select(p =>
        {
            var product = new Product(new ProductSpec(p.Name, "", p.Tier, p.Price, demo.Settings.Currency, p.Kind), now.AddDays(-120));
            db.Products.Add(product);
            db.GroupProducts.Add(new GroupProduct(group.Id, product.Id));
            return product;
        }).ToList();

        SeedSales(db, group, products, now);
        var members = new List<Member>();
        for (var i = 0; i < MembersPerGroup; i++)
        {
            // Joins lean towards recent days, as a growing group's do.
            var joinedAt = now.AddMinutes(-random.Next(0, 90 * 24 * 60) * Math.Pow(random.NextDouble(), 0.6));
            var name = $"{demo.FirstNames[random.Next(demo.FirstNames.Length)]}{demo.LastNames[random.Next(demo.LastNames.Length)]}";
            var member = new Member(name, $"{demo.PhonePrefix}{random.Next(demo.PhoneBlock.Start.Value, demo.PhoneBlock.End.Value)}{i:D4}", null, joinedAt);
            if (members.Count > 20 && random.NextDouble() < 0.15)
            {
                var referrer = members[random.Next(members.Count)].Id;
                member.SetReferrer(referrer);
                db.Referrals.Add(Referral.Accept(member.Id, referrer, group.Id, [], clientAddress: null, joinedAt));
            }

            members.Add(member);
            db.Members.Add(member);
            var membership = new GroupMembership(group.Id, member.Id, joinedAt);
            membership.Describe(random.NextDouble() < 0.2 ? ["vip-candidate"] : [], "");
            db.GroupMemberships.Add(membership);
            SeedPurchases(db, group, member, products, now, random);
        }

        return group.Id;
    }

    /// <summary>The playbook's rhythm: a live flash sale now, the weekday 20:00 slot, and a gift-pack group-buy.</summary>
    private static void SeedSales(CommunityFunnelDbContext db, Group group, List<Product> products, DateTimeOffset now)
    {
        var trial = products.First(p => p.Tier == FunnelStage.Low);
        var terms = new FlashSaleTerms(trial.Price, 100, 2, now.AddMinutes(-5), now.AddHours(2), FlashSaleTerms.DefaultPaymentWindow, FunnelStage.Free);
        db.FlashSales.Add(new FlashSale(group.Id, trial.Id, trial.Currency, terms, templateId: null, now));
        db.FlashSaleTemplates.Add(new FlashSaleTemplate(group.Id, trial.Id, FlashSaleSlot.Playbook, trial.Price, 100, 2,
            FlashSaleTerms.DefaultPaymentWindow, FunnelStage.Free, now));

        var pack = products.First(p => p.Tier == FunnelStage.Mid);
        decimal Off(decimal share) => decimal.Round(pack.Price * share, 2);
        var ladder = new GroupBuyTerms([new(2, Off(0.90m)), new(3, Off(0.85m)), new(5, Off(0.75m))], 2, now, now.AddHours(24));
        db.GroupBuys.Add(new GroupBuy(group.Id, pack.Id, pack.Currency, ladder, now));
    }

    /// <summary>Climbs the ladder with playbook-like odds: most try a low product, fewer go mid, a few go high.</summary>
    private static void SeedPurchases(CommunityFunnelDbContext db, Group group, Member member, List<Product> products, DateTimeOffset now, Random random)
    {
        var at = member.JoinedAt;
        foreach (var (tier, odds) in new[] { (FunnelStage.Low, 0.62), (FunnelStage.Mid, 0.42), (FunnelStage.High, 0.22) })
        {
            if (random.NextDouble() > odds)
            {
                break;
            }

            at = at.AddHours(random.Next(2, 24 * 12));
            if (at >= now)
            {
                break;
            }

            var choices = products.Where(p => p.Tier == tier).ToList();
            var product = choices[random.Next(choices.Count)];
            var order = new Order(member.Id, group.Id, product.Id, tier, 1, product.Price, product.Currency, at);
            db.Orders.Add(order);
            var fate = random.NextDouble();
            if (at > now.AddDays(-2) && fate < 0.3)
            {
                continue; // recent and still awaiting payment
            }

            if (fate < 0.04)
            {
                order.Cancel(at.AddHours(1));
                break;
            }

            order.MarkPaid(at.AddMinutes(random.Next(1, 120)));
            member.RecordPurchase(tier, order.Id, order.PaidAt!.Value);
            if (fate > 0.97)
            {
                order.Refund(order.PaidAt.Value.AddDays(1));
                member.ReverseOrder(order.Id, FunnelStage.Free, order.RefundedAt!.Value);
                break;
            }
        }

        if (member.Stage == FunnelStage.High && random.NextDouble() < 0.35)
        {
            member.MoveTo(FunnelStage.Sharing, "Loyal buyer invited to the partner programme", "demo operator", at.AddDays(3) < now ? at.AddDays(3) : now);
        }
    }

    private async Task CreateOperatorAsync(CommunityFunnelDbContext db, List<Guid> groupIds, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByEmailAsync(OperatorEmail) is not null)
        {
            return;
        }

        var user = new ApplicationUser { UserName = OperatorEmail, Email = OperatorEmail, EmailConfirmed = true, DisplayName = "Demo Operator" };
        var created = await users.CreateAsync(user, OperatorPassword);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Cannot create the demo operator: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(user, Roles.Operator);
        db.GroupAssignments.AddRange(groupIds.Select(id => new GroupAssignment(user.Id, id)));
        await db.SaveChangesAsync(ct);
    }

    private static IEnumerable<DemoGroup> Groups() =>
    [
        new(new GroupSettings("上海茶友会 Shanghai Tea Circle", ChatPlatform.WeCom, "Asia/Shanghai", "CNY", 2000,
                "Tea lovers in Shanghai, 25-45, mostly office workers; active at lunch and after 8 pm.",
                ["每天20:00前不发广告 No ads before 20:00", "禁止拉人进其他群 Do not poach members to other groups", "红包只在活动时间发放 Red envelopes only during events"], "zh-Hans", Country: "CN"),
            ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"], ["小明", "芳", "伟", "娜", "静", "磊", "洋", "婷", "杰", "雪"], "+86138", 1000..10000,
            [("9.9元试饮装 Trial pack", FunnelStage.Low, 9.9m, ProductKind.Traffic), ("29.9元品鉴套装", FunnelStage.Low, 29.9m, ProductKind.Profit),
             ("99元月度茶礼", FunnelStage.Low, 99m, ProductKind.Profit), ("399元龙井礼盒", FunnelStage.Mid, 399m, ProductKind.Profit),
             ("1299元年度会员", FunnelStage.Mid, 1299m, ProductKind.Profit), ("3999元私享茶会", FunnelStage.High, 3999m, ProductKind.Profit)],
            "微信转账给群主（微信号 shanghai-tea-host），备注填写订单备注码；群主确认后发货。"),
        new(new GroupSettings("Madrid Café Club", ChatPlatform.Telegram, "Europe/Madrid", "EUR", 2000,
                "Coffee enthusiasts in Madrid; weekend buyers.",
                ["Sé amable / Be kind", "Ofertas solo del equipo / Offers only from the team"], "es", Country: "ES"),
            ["Lucía ", "Hugo ", "Martina ", "Mateo ", "Sofía ", "Leo ", "Paula ", "Daniel "], ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez"], "+346", 1000..10000,
            [("Muestra 4,90 € sample", FunnelStage.Low, 4.9m, ProductKind.Traffic), ("Café de origen 250 g", FunnelStage.Low, 14.9m, ProductKind.Profit),
             ("Suscripción trimestral", FunnelStage.Mid, 89m, ProductKind.Profit), ("Taller barista", FunnelStage.Mid, 199m, ProductKind.Profit),
             ("Cafetera espresso pro", FunnelStage.High, 690m, ProductKind.Profit)],
            "Bizum al 612 345 678 (Madrid Café Club) con la referencia del pedido como concepto."),
        new(new GroupSettings("NYC Skincare Circle", ChatPlatform.Discord, "America/New_York", "USD", 2000,
                "Skincare fans in New York; ask before DMing.",
                ["Be respectful", "No self-promotion", "Questions welcome in #help"], "en", Country: "US"),
            ["Emma ", "Liam ", "Olivia ", "Noah ", "Ava ", "Elijah ", "Mia ", "James "], ["Smith", "Johnson", "Brown", "Davis", "Miller", "Wilson"], "+1212", 200..1000,
            [("Travel-size trial kit", FunnelStage.Low, 9.9m, ProductKind.Traffic), ("Hydrating serum", FunnelStage.Low, 18m, ProductKind.Profit),
             ("Full routine set", FunnelStage.Mid, 129m, ProductKind.Profit), ("Seasonal box (3 months)", FunnelStage.Mid, 299m, ProductKind.Profit),
             ("Personal consultation + set", FunnelStage.High, 650m, ProductKind.Profit)],
            "Zelle or Venmo to @nyc-skincare-circle; put the order reference in the note."),
    ];
}
