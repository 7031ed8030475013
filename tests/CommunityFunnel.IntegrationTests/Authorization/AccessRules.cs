using System.Net;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;

namespace CommunityFunnel.IntegrationTests.Authorization;

/// <summary>Who an endpoint is for.</summary>
internal enum Audience
{
    /// <summary>Public pages, files and probes: they answer anyone, never with 401, 403 or a server error.</summary>
    Everyone,

    /// <summary>Member pages: public routes, but only the member's own session sees the member's data.</summary>
    TheMember,

    /// <summary>Any enabled admin or operator; operators see only their own groups' data in the answer.</summary>
    Staff,

    /// <summary>One group's resource: its operators and the admins; other operators learn nothing of it.</summary>
    TheGroup,

    Admins,
}

/// <summary>The request one persona sends (built afresh for each, so a change one makes cannot spoil the next).</summary>
internal sealed record Call(HttpMethod Method, string Path, object? Body = null);

internal sealed record AccessRule(Audience Audience, Func<MatrixWorld, Task<Call>> Call)
{
    /// <summary>Those allowed see the group's data in the answer: proof that the "others see none of it" check can fail.</summary>
    public bool ShowsGroupData { get; init; }

    /// <summary>What the allowed get when it is not a 2xx.</summary>
    public HttpStatusCode? AllowedStatus { get; init; }

    /// <summary>Why <see cref="AllowedStatus"/> is what it is.</summary>
    public string? Because { get; init; }
}

/// <summary>
/// Every endpoint of the app, keyed as the matrix test names them ("PAGE /route" for a page, "GET /path" otherwise,
/// "*" for any method). An endpoint added without an entry here fails the test, as does an entry for one that is gone.
/// </summary>
internal static class AccessRules
{
    private const string NoAntiforgeryToken = "the matrix posts without the form's antiforgery token: refused before anything happens";

    public static readonly IReadOnlyDictionary<string, AccessRule> All = new Dictionary<string, AccessRule>
    {
        // Pages for anyone.
        ["PAGE /login"] = Get(Audience.Everyone, _ => "/login"),
        ["PAGE /login/two-factor"] = Get(Audience.Everyone, _ => "/login/two-factor") with
        {
            AllowedStatus = HttpStatusCode.Redirect, Because = "with no password step done there is no code to ask for: back to the sign-in form",
        },
        ["PAGE /access-denied"] = Get(Audience.Everyone, _ => "/access-denied"),
        ["PAGE /account/setup"] = Get(Audience.Everyone, _ => "/account/setup?user=nobody&token=forged"),
        ["PAGE /error"] = Get(Audience.Everyone, _ => "/error"),
        ["PAGE /not-found"] = Get(Audience.Everyone, _ => "/not-found"),
        ["PAGE /join/{Code}"] = Get(Audience.Everyone, w => $"/join/{w.JoinCode}"),
        ["PAGE /me/link-problem"] = Get(Audience.Everyone, _ => "/me/link-problem?reason=used"),
        ["PAGE /me/sign-in"] = Get(Audience.Everyone, w => $"/me/sign-in?returnUrl=/me/flash-sales/{w.FlashSale}"),
        ["GET /me/sign-in/telegram"] = Get(Audience.Everyone, _ => "/me/sign-in/telegram?id=1&auth_date=1&hash=forged"),
        ["GET /account/culture"] = Get(Audience.Everyone, _ => "/account/culture?culture=en&returnUrl=/"),
        ["GET /m/{token}"] = Get(Audience.Everyone, _ => "/m/forged-token"),
        ["POST /me/sign-out"] = Post(Audience.Everyone, _ => "/me/sign-out") with { AllowedStatus = HttpStatusCode.BadRequest, Because = NoAntiforgeryToken },
        ["GET /me/flash-sales/{id:guid}/stock"] = Get(Audience.Everyone, w => $"/me/flash-sales/{w.FlashSale}/stock"),

        // Sale pages: the offer is posted in the group and opened on any device, so it is public; what the member holds
        // and may buy is theirs alone (SharedOfferPageTests).
        ["PAGE /me/flash-sales/{Id:guid}"] = Get(Audience.Everyone, w => $"/me/flash-sales/{w.FlashSale}"),
        ["PAGE /me/group-buys/{Id:guid}"] = Get(Audience.Everyone, w => $"/me/group-buys/{w.GroupBuy}"),
        ["GET /openapi/{documentName}.json"] = Get(Audience.Everyone, _ => "/openapi/v1.json"),
        ["GET /api/docs/{documentName?}"] = Get(Audience.Everyone, _ => "/api/docs"),
        ["GET /api/docs/scalar.js"] = Get(Audience.Everyone, _ => "/api/docs/scalar.js"),
        ["GET /api/docs/scalar.aspnetcore.js"] = Get(Audience.Everyone, _ => "/api/docs/scalar.aspnetcore.js"),
        ["GET /api/docs/favicon.svg"] = Get(Audience.Everyone, _ => "/api/docs/favicon.svg"),
        ["* /health/live"] = Get(Audience.Everyone, _ => "/health/live"),
        ["* /health/ready"] = Get(Audience.Everyone, _ => "/health/ready"),
        ["GET,HEAD {**path:file}"] = Get(Audience.Everyone, _ => "/no-such-file.txt"),
        ["GET /media/{fileName}"] = Get(Audience.Everyone, _ => "/media/AAAAAAAAAAAAAAAAAAAAAA.jpg"),

        // Blazor's own transport: the circuit carries components, and each component's route is authorized above and below.
        ["* /_blazor"] = Get(Audience.Everyone, _ => "/_blazor"),
        ["* /_blazor/negotiate"] = Post(Audience.Everyone, _ => "/_blazor/negotiate?negotiateVersion=1"),
        ["* /_blazor/disconnect/"] = Post(Audience.Everyone, _ => "/_blazor/disconnect/"),
        ["* /_blazor/initializers/"] = Get(Audience.Everyone, _ => "/_blazor/initializers/"),
        ["GET /_framework/opaque-redirect"] = Get(Audience.Everyone, _ => "/_framework/opaque-redirect"),

        // Member pages.
        ["PAGE /me"] = Get(Audience.TheMember, _ => "/me"),
        ["PAGE /me/orders/{Id:guid}"] = Get(Audience.TheMember, w => $"/me/orders/{w.Order}"),
        ["PAGE /me/share"] = Get(Audience.TheMember, _ => "/me/share"),
        ["GET /me/share/{groupId:guid}/qr"] = Get(Audience.TheMember, w => $"/me/share/{w.Group}/qr"),
        ["GET /me/share/{groupId:guid}/poster"] = Get(Audience.TheMember, w => $"/me/share/{w.Group}/poster"),

        // Back-office pages.
        ["PAGE /"] = Get(Audience.Staff, _ => "/"),
        ["PAGE /groups"] = Get(Audience.Staff, _ => "/groups", showsGroupData: true),
        ["PAGE /products"] = Get(Audience.Staff, _ => "/products"),
        ["PAGE /timeline"] = Get(Audience.Staff, _ => "/timeline", showsGroupData: true),
        ["PAGE /to-send"] = Get(Audience.Staff, _ => "/to-send"),
        ["PAGE /partners"] = Get(Audience.Staff, _ => "/partners"),
        ["PAGE /today"] = Get(Audience.Staff, _ => "/today", showsGroupData: true),
        ["PAGE /orders"] = Get(Audience.Staff, _ => "/orders"),
        ["PAGE /posts/new"] = Get(Audience.Staff, _ => "/posts/new"),
        ["PAGE /events/new"] = Get(Audience.Staff, _ => "/events/new"),
        ["PAGE /sales/new"] = Get(Audience.Staff, _ => "/sales/new"),
        ["PAGE /account/password"] = Get(Audience.Staff, _ => "/account/password"),
        ["PAGE /account/two-factor"] = Get(Audience.Staff, _ => "/account/two-factor"),
        ["POST /account/logout"] = Post(Audience.Staff, _ => "/account/logout") with { AllowedStatus = HttpStatusCode.BadRequest, Because = NoAntiforgeryToken },
        ["PAGE /groups/{GroupId:guid}"] = Get(Audience.TheGroup, w => $"/groups/{w.Group}", showsGroupData: true),
        ["PAGE /members/{MemberId:guid}"] = Get(Audience.TheGroup, w => $"/members/{w.Member}", showsGroupData: true),
        ["PAGE /announcements/{AnnouncementId:guid}"] = Get(Audience.TheGroup, w => $"/announcements/{w.Announcement}", showsGroupData: true),
        ["PAGE /events/{EventId:guid}/edit"] = Get(Audience.TheGroup, w => $"/events/{w.Event}/edit", showsGroupData: true),
        ["GET /groups/{groupId:guid}/members.csv"] = Get(Audience.TheGroup, w => $"/groups/{w.Group}/members.csv", showsGroupData: true),
        ["GET /groups/{groupId:guid}/join-qr"] = Get(Audience.TheGroup, w => $"/groups/{w.Group}/join-qr?format=svg"),
        ["GET /groups/{groupId:guid}/join-poster"] = Get(Audience.TheGroup, w => $"/groups/{w.Group}/join-poster"),
        ["PAGE /admin/users"] = Get(Audience.Admins, _ => "/admin/users"),
        ["PAGE /admin/api-keys"] = Get(Audience.Admins, _ => "/admin/api-keys"),
        ["PAGE /admin/audit"] = Get(Audience.Admins, _ => "/admin/audit"),
        ["PAGE /admin/pricing"] = Get(Audience.Admins, _ => "/admin/pricing"),
        ["PAGE /admin/settings"] = Get(Audience.Admins, _ => "/admin/settings"),
        ["PAGE /admin/phones"] = Get(Audience.Admins, _ => "/admin/phones"),
        ["PAGE /admin/rebates"] = Get(Audience.Admins, _ => "/admin/rebates"),
        ["PAGE /admin/payouts/{PayoutId:guid}"] = Send(Audience.Admins, HttpMethod.Get, async w => $"/admin/payouts/{(await w.NewPayoutAsync()).Payout}") with { ShowsGroupData = true },
        ["GET /admin/payouts/{payoutId:guid}/export.csv"] = Send(Audience.Admins, HttpMethod.Get,
            async w => $"/admin/payouts/{(await w.NewPayoutAsync()).Payout}/export.csv") with { ShowsGroupData = true },
        ["PAGE /admin/webhooks"] = Get(Audience.Admins, _ => "/admin/webhooks"),
        ["PAGE /admin/webhooks/{Id:guid}"] = Get(Audience.Admins, w => $"/admin/webhooks/{w.Webhook}"),
        ["* /admin/jobs/{**path}"] = Get(Audience.Admins, _ => "/admin/jobs"),

        // API: groups and products.
        ["GET /api/v1/groups/"] = Get(Audience.Staff, _ => "/api/v1/groups", showsGroupData: true),
        ["GET /api/v1/groups/{id:guid}"] = Get(Audience.TheGroup, w => $"/api/v1/groups/{w.Group}", showsGroupData: true),
        ["POST /api/v1/groups/{id:guid}/join-link"] = Post(Audience.TheGroup, w => $"/api/v1/groups/{w.Group}/join-link"),
        ["GET /api/v1/groups/{id:guid}/join-qr"] = Get(Audience.TheGroup, w => $"/api/v1/groups/{w.Group}/join-qr?format=png"),
        ["POST /api/v1/groups/"] = Post(Audience.Admins, _ => "/api/v1/groups", _ => new { name = "Night owls", timeZone = "Europe/Berlin", currency = "EUR" }),
        ["PATCH /api/v1/groups/{id:guid}"] = Send(Audience.TheGroup, new HttpMethod("PATCH"), w => Task.FromResult($"/api/v1/groups/{w.Group}"),
            _ => new { audienceNotes = "Quiet after 22:00", country = "HK" }) with { ShowsGroupData = true },
        ["GET /api/v1/products/"] = Get(Audience.Staff, _ => "/api/v1/products"),
        ["GET /api/v1/products/{id:guid}"] = Get(Audience.Staff, w => $"/api/v1/products/{w.Product}"),
        ["POST /api/v1/products/"] = Post(Audience.Admins, _ => "/api/v1/products", _ => new { name = "Oolong sampler", tier = "Low", price = 9.9m, kind = "Profit", currency = "CNY" }),
        ["POST /api/v1/products/{id:guid}/pictures"] = Post(Audience.Admins, w => $"/api/v1/products/{w.Product}/pictures", _ => MatrixWorld.PictureForm()),
        ["DELETE /api/v1/products/{id:guid}/pictures/{pictureId:guid}"] = Send(Audience.Admins, HttpMethod.Delete,
            async w => $"/api/v1/products/{w.Product}/pictures/{await w.NewProductPictureAsync()}"),
        ["PUT /api/v1/products/{id:guid}/pictures/order"] = Send(Audience.Admins, HttpMethod.Put, async w => $"/api/v1/products/{await w.NewProductAsync()}/pictures/order",
            _ => new { pictureIds = Array.Empty<Guid>() }),
        ["POST /api/v1/groups/{id:guid}/payment-qr"] = Post(Audience.TheGroup, w => $"/api/v1/groups/{w.Group}/payment-qr", _ => MatrixWorld.PictureForm()),
        ["DELETE /api/v1/groups/{id:guid}/payment-qr"] = Send(Audience.TheGroup, HttpMethod.Delete, w => Task.FromResult($"/api/v1/groups/{w.Group}/payment-qr")),

        // API: members.
        ["GET /api/v1/groups/{groupId:guid}/members"] = Get(Audience.TheGroup, w => $"/api/v1/groups/{w.Group}/members", showsGroupData: true),
        ["POST /api/v1/groups/{groupId:guid}/members"] = Post(Audience.TheGroup, w => $"/api/v1/groups/{w.Group}/members", _ => new { displayName = "Newcomer" }),
        ["GET /api/v1/members/{id:guid}"] = Get(Audience.TheGroup, w => $"/api/v1/members/{w.Member}", showsGroupData: true),
        ["GET /api/v1/members/{id:guid}/rebates"] = Get(Audience.TheGroup, w => $"/api/v1/members/{w.Member}/rebates"),
        ["GET /api/v1/groups/{groupId:guid}/promotion-day"] = Get(Audience.TheGroup, w => $"/api/v1/groups/{w.Group}/promotion-day"),
        ["PUT /api/v1/groups/{groupId:guid}/promotion-day"] = Send(Audience.TheGroup, HttpMethod.Put, w => Task.FromResult($"/api/v1/groups/{w.Group}/promotion-day"),
            _ => new { dayOfMonth = 18, multiplier = 2 }),
        ["DELETE /api/v1/groups/{groupId:guid}/promotion-day"] = Send(Audience.TheGroup, HttpMethod.Delete, async w =>
        {
            await w.PromotionDayAsync(); // one to remove, so a refused call has something it must leave alone
            return $"/api/v1/groups/{w.Group}/promotion-day";
        }),
        ["GET /api/v1/commission-plans"] = Get(Audience.Staff, _ => "/api/v1/commission-plans"),
        ["PUT /api/v1/commission-plans/{currency}"] = Send(Audience.Admins, HttpMethod.Put, _ => Task.FromResult("/api/v1/commission-plans/EUR"),
            _ => new { level1Percent = 10, level2Percent = 5, holdDays = 7 }),
        ["POST /api/v1/members/{id:guid}/stage"] = Post(Audience.TheGroup, async w => $"/api/v1/members/{await w.NewMemberAsync()}/stage", _ => new { stage = "Low", reason = "bought at the fair" }),
        ["POST /api/v1/members/{id:guid}/links"] = Post(Audience.TheGroup, w => $"/api/v1/members/{w.Member}/links", w => new { groupId = w.Group }),
        ["POST /api/v1/members/{id:guid}/revoke-sessions"] = Post(Audience.TheGroup, async w => $"/api/v1/members/{await w.NewMemberAsync()}/revoke-sessions"),

        // API: red-envelope rains and the member wallet.
        ["POST /api/v1/red-envelope-rains"] = Post(Audience.TheGroup, _ => "/api/v1/red-envelope-rains",
            w => new { groupIds = new[] { w.Group }, startsAt = w.Now, waves = new[] { new { budget = 10m, packets = 5 } } }),
        ["GET /api/v1/red-envelope-waves/{id:guid}"] = Send(Audience.TheGroup, HttpMethod.Get, async w => $"/api/v1/red-envelope-waves/{await w.NewWaveAsync()}"),
        ["POST /api/v1/red-envelope-waves/{id:guid}/claims"] = Post(Audience.TheGroup, async w => $"/api/v1/red-envelope-waves/{await w.NewWaveAsync()}/claims",
            w => new { memberId = w.Member }),
        ["GET /api/v1/members/{id:guid}/wallet"] = Get(Audience.TheGroup, w => $"/api/v1/members/{w.Member}/wallet"),

        // API: payouts (admins only: they hold every group's partners and their money).
        ["POST /api/v1/payouts"] = Send(Audience.Admins, HttpMethod.Post, async w =>
        {
            await w.NewPartnerAsync();
            return "/api/v1/payouts";
        }, _ => new { currency = "CNY", minimum = 0.01m }),
        ["GET /api/v1/payouts"] = Get(Audience.Admins, _ => "/api/v1/payouts"),
        ["GET /api/v1/payouts/{id:guid}"] = Send(Audience.Admins, HttpMethod.Get, async w => $"/api/v1/payouts/{(await w.NewPayoutAsync()).Payout}") with { ShowsGroupData = true },
        ["GET /api/v1/payouts/{id:guid}/export.csv"] = Send(Audience.Admins, HttpMethod.Get,
            async w => $"/api/v1/payouts/{(await w.NewPayoutAsync()).Payout}/export.csv") with { ShowsGroupData = true },
        ["POST /api/v1/payouts/{id:guid}/paid"] = Post(Audience.Admins, async w => $"/api/v1/payouts/{(await w.NewPayoutAsync()).Payout}/paid"),
        ["POST /api/v1/payouts/{id:guid}/cancel"] = Post(Audience.Admins, async w => $"/api/v1/payouts/{(await w.NewPayoutAsync()).Payout}/cancel"),
        ["POST /api/v1/payouts/{id:guid}/items/{memberId:guid}/hold"] = Post(Audience.Admins, async w =>
        {
            var (payout, partner) = await w.NewPayoutAsync();
            return $"/api/v1/payouts/{payout}/items/{partner}/hold";
        }, _ => new { reason = "waiting for the bank details" }),
        ["POST /api/v1/payouts/{id:guid}/items/{memberId:guid}/include"] = Post(Audience.Admins, async w =>
        {
            var (payout, partner) = await w.NewPayoutAsync(heldBack: true);
            return $"/api/v1/payouts/{payout}/items/{partner}/include";
        }),

        // API: channels, posts and events.
        ["GET /api/v1/groups/{groupId:guid}/channels"] = Get(Audience.TheGroup, w => $"/api/v1/groups/{w.Group}/channels", showsGroupData: true),
        ["POST /api/v1/groups/{groupId:guid}/channels"] = Post(Audience.TheGroup, w => $"/api/v1/groups/{w.Group}/channels",
            _ => new { kind = "Webhook", name = "Second hook", url = "https://hooks.example.com/in", secret = "a-webhook-secret-0123456789" }),
        ["POST /api/v1/channels/{id:guid}/test"] = Post(Audience.TheGroup, w => $"/api/v1/channels/{w.Channel}/test"),
        ["POST /api/v1/channels/{id:guid}/pause"] = Post(Audience.TheGroup, async w => $"/api/v1/channels/{await w.NewChannelAsync()}/pause"),
        ["POST /api/v1/channels/{id:guid}/resume"] = Post(Audience.TheGroup,
            async w => $"/api/v1/channels/{await w.NewChannelAsync((channels, id) => channels.PauseAsync(TestData.Admin, id, default))}/resume"),
        ["POST /api/v1/channels/{id:guid}/deactivate"] = Post(Audience.TheGroup, async w => $"/api/v1/channels/{await w.NewChannelAsync()}/deactivate"),
        ["POST /api/v1/channels/{id:guid}/activate"] = Post(Audience.TheGroup,
            async w => $"/api/v1/channels/{await w.NewChannelAsync((channels, id) => channels.DeactivateAsync(TestData.Admin, id, default))}/activate"),
        ["DELETE /api/v1/channels/{id:guid}"] = Send(Audience.TheGroup, HttpMethod.Delete, async w => $"/api/v1/channels/{await w.NewChannelAsync()}"),
        ["POST /api/v1/announcements"] = Post(Audience.TheGroup, _ => "/api/v1/announcements", w => new { groupIds = new[] { w.Group }, text = "Doors open at 8", sendAt = w.Now.AddDays(2) }),
        ["POST /api/v1/images"] = Post(Audience.Staff, _ => "/api/v1/images", _ => MatrixWorld.PictureForm()),
        ["POST /api/v1/announcements/{id:guid}/cancel"] = Post(Audience.TheGroup, async w => $"/api/v1/announcements/{await w.NewAnnouncementAsync()}/cancel"),
        ["GET /api/v1/announcements/{id:guid}/deliveries"] = Get(Audience.TheGroup, w => $"/api/v1/announcements/{w.Announcement}/deliveries", showsGroupData: true),
        ["POST /api/v1/events"] = Post(Audience.TheGroup, _ => "/api/v1/events", w => w.EventInput("Tasting night")),
        ["POST /api/v1/events/preview"] = Post(Audience.TheGroup, _ => "/api/v1/events/preview", w => w.EventInput("Tasting night")),
        ["GET /api/v1/events/{id:guid}"] = Get(Audience.TheGroup, w => $"/api/v1/events/{w.Event}", showsGroupData: true),
        ["PUT /api/v1/events/{id:guid}"] = Send(Audience.TheGroup, HttpMethod.Put, async w => $"/api/v1/events/{await w.NewEventAsync()}", w => w.EventInput("Moved tasting")),
        ["POST /api/v1/events/{id:guid}/cancel"] = Post(Audience.TheGroup, async w => $"/api/v1/events/{await w.NewEventAsync()}/cancel"),

        // API: orders and sales.
        ["GET /api/v1/orders/"] = Get(Audience.Staff, w => $"/api/v1/orders?memberId={w.Member}", showsGroupData: true), // the world's member: partners' orders made by other rows must not push it off the page
        ["GET /api/v1/orders/{id:guid}"] = Get(Audience.TheGroup, w => $"/api/v1/orders/{w.Order}", showsGroupData: true),
        ["POST /api/v1/orders/"] = Post(Audience.TheGroup, _ => "/api/v1/orders", w => new { memberId = w.Member, groupId = w.Group, productId = w.Product, quantity = 1 }),
        ["POST /api/v1/orders/{id:guid}/pay"] = Post(Audience.TheGroup, async w => $"/api/v1/orders/{await w.NewOrderAsync()}/pay"),
        ["POST /api/v1/orders/{id:guid}/refund"] = Post(Audience.TheGroup, async w => $"/api/v1/orders/{await w.NewOrderAsync(paid: true)}/refund"),
        ["POST /api/v1/orders/{id:guid}/cancel"] = Post(Audience.TheGroup, async w => $"/api/v1/orders/{await w.NewOrderAsync()}/cancel"),
        ["GET /api/v1/flash-sales/"] = Get(Audience.Staff, _ => "/api/v1/flash-sales", showsGroupData: true),
        ["GET /api/v1/flash-sales/{id:guid}"] = Get(Audience.TheGroup, w => $"/api/v1/flash-sales/{w.FlashSale}", showsGroupData: true),
        ["POST /api/v1/flash-sales/"] = Post(Audience.TheGroup, _ => "/api/v1/flash-sales", w => new
        {
            groupId = w.Group, productId = w.Product, price = 5m, stock = 10, perMemberLimit = 1, startsAt = w.Now.AddHours(1), endsAt = w.Now.AddHours(2),
        }),
        ["POST /api/v1/flash-sales/{id:guid}/cancel"] = Post(Audience.TheGroup, async w => $"/api/v1/flash-sales/{await w.NewFlashSaleAsync()}/cancel"),
        ["POST /api/v1/flash-sales/{id:guid}/claims"] = Post(Audience.TheGroup, w => $"/api/v1/flash-sales/{w.FlashSale}/claims", async w => new { memberId = await w.NewMemberAsync(), quantity = 1 }),
        ["GET /api/v1/group-buys/"] = Get(Audience.TheGroup, w => $"/api/v1/group-buys?groupId={w.Group}", showsGroupData: true),
        ["GET /api/v1/group-buys/{id:guid}"] = Get(Audience.TheGroup, w => $"/api/v1/group-buys/{w.GroupBuy}", showsGroupData: true),
        ["GET /api/v1/group-buys/{id:guid}/orders"] = Get(Audience.TheGroup, w => $"/api/v1/group-buys/{w.GroupBuy}/orders"),
        ["POST /api/v1/group-buys/"] = Post(Audience.TheGroup, _ => "/api/v1/group-buys", w => new
        {
            groupId = w.Group, productId = w.Product, tiers = new[] { new GroupBuyTier(2, 9m) }, minParticipants = 2, opensAt = w.Now, closesAt = w.Now.AddDays(1),
        }),
        ["POST /api/v1/group-buys/{id:guid}/participants"] = Post(Audience.TheGroup, w => $"/api/v1/group-buys/{w.GroupBuy}/participants", async w => new { memberId = await w.NewMemberAsync(), quantity = 1 }),

        // API: users and keys.
        ["GET /api/v1/users/"] = Get(Audience.Admins, _ => "/api/v1/users"),
        ["GET /api/v1/today"] = Get(Audience.Staff, _ => "/api/v1/today", showsGroupData: true),
        ["POST /api/v1/users/"] = Post(Audience.Admins, _ => "/api/v1/users", _ => new { email = $"new-{Guid.NewGuid():N}@test.local", role = "Operator" }),
        ["PUT /api/v1/users/{id}/groups"] = Send(Audience.Admins, HttpMethod.Put, w => Task.FromResult($"/api/v1/users/{w.TargetUser}/groups"), w => new { groupIds = new[] { w.Group } }),
        ["POST /api/v1/users/{id}/disable"] = Post(Audience.Admins, async w => $"/api/v1/users/{await w.NewUserAsync()}/disable"),
        ["POST /api/v1/users/{id}/enable"] = Post(Audience.Admins, async w => $"/api/v1/users/{await w.NewUserAsync(disabled: true)}/enable"),
        ["POST /api/v1/api-keys/"] = Post(Audience.Admins, _ => "/api/v1/api-keys", w => new { userId = w.TargetUser, name = "Reporting" }),
        ["DELETE /api/v1/api-keys/{id:guid}"] = Send(Audience.Admins, HttpMethod.Delete, async w => $"/api/v1/api-keys/{await w.NewApiKeyAsync()}"),

        // API: webhooks (merchant-wide, so admins only).
        ["POST /api/v1/webhooks/"] = Post(Audience.Admins, _ => "/api/v1/webhooks",
            _ => new { url = "https://hooks.example.com/in", events = new[] { "order.paid" }, secret = "a-webhook-secret-0123456789" }),
        ["GET /api/v1/webhooks/"] = Get(Audience.Admins, _ => "/api/v1/webhooks"),
        ["GET /api/v1/webhooks/{id:guid}"] = Get(Audience.Admins, w => $"/api/v1/webhooks/{w.Webhook}"),
        ["POST /api/v1/webhooks/{id:guid}/disable"] = Post(Audience.Admins, async w => $"/api/v1/webhooks/{await w.NewWebhookAsync()}/disable"),
        ["POST /api/v1/webhooks/{id:guid}/enable"] = Post(Audience.Admins, async w => $"/api/v1/webhooks/{await w.NewWebhookAsync()}/enable"),
        ["GET /api/v1/webhooks/{id:guid}/deliveries"] = Get(Audience.Admins, w => $"/api/v1/webhooks/{w.Webhook}/deliveries"),
        ["GET /api/v1/webhooks/{id:guid}/deliveries/{eventId:guid}"] = Get(Audience.Admins, w => $"/api/v1/webhooks/{w.Webhook}/deliveries/{w.WebhookEvent}"),
        ["POST /api/v1/webhooks/{id:guid}/deliveries/{eventId:guid}/redeliver"] = Post(Audience.Admins, w => $"/api/v1/webhooks/{w.Webhook}/deliveries/{w.WebhookEvent}/redeliver"),
    };

    private static AccessRule Get(Audience audience, Func<MatrixWorld, string> path, bool showsGroupData = false) =>
        new(audience, world => Task.FromResult(new Call(HttpMethod.Get, path(world)))) { ShowsGroupData = showsGroupData };

    private static AccessRule Post(Audience audience, Func<MatrixWorld, string> path, Func<MatrixWorld, object?>? body = null) =>
        Send(audience, HttpMethod.Post, world => Task.FromResult(path(world)), body);

    private static AccessRule Post(Audience audience, Func<MatrixWorld, Task<string>> path, Func<MatrixWorld, object?>? body = null) =>
        Send(audience, HttpMethod.Post, path, body);

    private static AccessRule Post(Audience audience, Func<MatrixWorld, string> path, Func<MatrixWorld, Task<object>> body) =>
        new(audience, async world => new Call(HttpMethod.Post, path(world), await body(world)));

    private static AccessRule Send(Audience audience, HttpMethod method, Func<MatrixWorld, Task<string>> path, Func<MatrixWorld, object?>? body = null) =>
        new(audience, async world => new Call(method, await path(world), body?.Invoke(world)));
}
