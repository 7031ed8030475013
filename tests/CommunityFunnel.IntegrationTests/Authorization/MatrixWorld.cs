using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Payouts;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Application.Promotions;
using CommunityFunnel.Application.Rebates;
using CommunityFunnel.Application.RedEnvelopes;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Application.Webhooks;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.Domain.RedEnvelopes;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CommunityFunnel.IntegrationTests.Infrastructure.TestData;

namespace CommunityFunnel.IntegrationTests.Authorization;

/// <summary>Who knocks: each persona of the authorization matrix.</summary>
public enum Persona
{
    Anonymous,
    Member,
    OperatorOfTheGroup,
    OperatorOfAnotherGroup,
    DisabledUser,
    Admin,
}

/// <summary>
/// One group ("the group") with something of every kind in it, a second group with its own operator, and a client for
/// each persona. Every name and text written in the group carries <see cref="Secret"/>, so an answer that leaks any of
/// the group's data to someone outside it shows the secret.
/// </summary>
internal sealed class MatrixWorld
{
    private const string OperatorPassword = "operator-password-1";
    private readonly PostgresFixture _database;
    private readonly TestData _data;
    private readonly Dictionary<Persona, HttpClient> _browsers = [];
    private readonly Dictionary<Persona, HttpClient> _apiClients = [];
    private int _made;
    private bool _rebatesPlanned;

    private MatrixWorld(PostgresFixture database)
    {
        _database = database;
        _data = new TestData(database);
    }

    public string Secret { get; } = "zq" + Guid.NewGuid().ToString("N")[..10];

    public Guid Group { get; private set; }
    public Guid OtherGroup { get; private set; }
    public string JoinCode { get; private set; } = "";
    public Guid Member { get; private set; }
    public Guid Product { get; private set; }
    public Guid FlashSale { get; private set; }
    public Guid GroupBuy { get; private set; }
    public Guid Order { get; private set; }
    public Guid Channel { get; private set; }
    public Guid Announcement { get; private set; }
    public Guid Event { get; private set; }
    public string TargetUser { get; private set; } = "";
    public Guid Webhook { get; private set; }

    /// <summary>An event <see cref="Webhook"/> has a delivery of (the member's joining).</summary>
    public Guid WebhookEvent { get; private set; }

    /// <summary>Instants for schedules: the app runs on the real clock, so the world's sales are live now.</summary>
    public DateTimeOffset Now => _database.Clock.GetUtcNow();

    private Uri Platforms => _database.Platforms.BaseAddress;

    public static async Task<MatrixWorld> CreateAsync(PostgresFixture database)
    {
        database.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var world = new MatrixWorld(database);
        await world.BuildAsync();
        return world;
    }

    /// <summary>Cookies for pages, an API key for /api/v1; members have only their session cookie, anonymous nothing.</summary>
    public HttpClient ClientFor(Persona persona, bool api) => api ? _apiClients[persona] : _browsers[persona];

    public async Task<Guid> NewMemberAsync() => await _data.MemberAsync(Group, $"Buyer {++_made}");

    public async Task<Guid> NewOrderAsync(bool paid = false) => await _data.OrderAsync(await NewMemberAsync(), Group, Product, paid);

    public Task<Guid> NewFlashSaleAsync() => _data.FlashSaleAsync(Group, stock: 100);

    public async Task<Guid> NewChannelAsync(Func<ChannelService, Guid, Task>? then = null)
    {
        var channels = _database.Get<ChannelService>();
        var id = Succeeded(await channels.AddAsync(Admin, Group, new ChannelInput(
            ChannelKind.Webhook, Name: $"Hook {++_made}", Url: new Uri(Platforms, $"hook/matrix-{_made}").ToString(), Secret: PlatformServer.WebhookSecret), default));
        if (then is not null)
        {
            await then(channels, id);
        }

        return id;
    }

    /// <summary>A fresh picture of the world's product, to remove.</summary>
    public async Task<Guid> NewProductPictureAsync()
    {
        using var picture = new MemoryStream(TestPictures.Png(8, 8));
        return Succeeded(await _database.Get<ProductPictures>().AddAsync(Admin, Product, picture, default)).Id;
    }

    /// <summary>A fresh product without pictures, whose (empty) picture order any admin may set.</summary>
    public Task<Guid> NewProductAsync() => _data.ProductAsync();

    /// <summary>A real picture upload, as the API takes it (a multipart field "file").</summary>
    public static MultipartFormDataContent PictureForm() => TestPictures.Form(TestPictures.Png(16, 16), "picture.png", "image/png");

    public async Task<Guid> NewAnnouncementAsync() =>
        Succeeded(await _database.Get<AnnouncementService>().ScheduleAsync(Admin, new AnnouncementInput([Group], $"Notice {++_made}", Now.AddDays(1)), default));

    public async Task<Guid> NewEventAsync() => (await EventAsync($"Event {++_made}")).Id;

    public EventInput EventInput(string title) => new([Group], title, Now.AddDays(5).ToString("O"));

    public async Task<string> NewUserAsync(bool disabled = false)
    {
        var user = await _data.OperatorAsync($"target-{++_made}@test.local");
        if (disabled)
        {
            Succeeded(await _database.Get<UserAdminService>().DisableAsync(Admin, user.Id, default));
        }

        return user.Id;
    }

    public async Task<Guid> NewWebhookAsync() =>
        Succeeded(await _database.Get<WebhookService>().CreateAsync(Admin, new WebhookInput(new Uri(Platforms, $"hook/events-{++_made}").ToString(), ["order.paid"], PlatformServer.WebhookSecret), default));

    public async Task<Guid> NewApiKeyAsync() => Succeeded(await _database.Get<ApiKeyService>().CreateForUserAsync(Admin, TargetUser, $"Key {++_made}", default)).Id;

    /// <summary>Gives the group its promotion day (the same one each time), with its countdown event.</summary>
    public async Task PromotionDayAsync() => Succeeded(await _database.Get<PromotionDayService>().SetAsync(Admin, Group, 18, 2m, null, default));

    /// <summary>A red-envelope wave of the group open now (a new rain each time, so every persona has packets to claim).</summary>
    public async Task<Guid> NewWaveAsync() =>
        Succeeded(await _database.Get<RedEnvelopeRains>().CreateAsync(Admin,
            new RainInput([Group], null, Now, [new WaveTerms(0, 10m, 5)], new RainPayout(RainPayoutKind.Credit), Announce: false), default)).Waves[0].Id;

    /// <summary>A partner of the group with an available rebate: they referred a buyer whose order was paid, and the hold is over.</summary>
    public async Task<Guid> NewPartnerAsync()
    {
        if (!_rebatesPlanned)
        {
            Succeeded(await _database.Get<CommissionPlans>().SaveAsync(Admin, "CNY", new CommissionTerms(10m, 0m, 0, null, null, false, true, []), default));
            _rebatesPlanned = true;
        }

        var partner = await _data.MemberAsync(Group, $"Partner {++_made} {Secret}");
        await _data.OrderAsync(await _data.MemberAsync(Group, $"Buyer {++_made}", referrerId: partner), Group, Product, paid: true);
        await _database.Get<RebateLedger>().ReleaseDueAsync(default);
        return partner;
    }

    /// <summary>A draft payout of a fresh partner's rebate (partners of earlier payouts are in those); with the partner held back if asked.</summary>
    public async Task<(Guid Payout, Guid Partner)> NewPayoutAsync(bool heldBack = false)
    {
        var partner = await NewPartnerAsync();
        var payouts = _database.Get<PayoutService>();
        var payout = Succeeded(await payouts.CreateAsync(Admin, "CNY", 0.01m, default)).Id;
        if (heldBack)
        {
            Succeeded(await payouts.HoldBackAsync(Admin, payout, partner, "checking the account", default));
        }

        return (payout, partner);
    }

    private async Task<EventScheduled> EventAsync(string title) =>
        Succeeded(await _database.Get<EventService>().CreateAsync(Admin, EventInput(title), default));

    private async Task BuildAsync()
    {
        Webhook = Succeeded(await _database.Get<WebhookService>().CreateAsync(Admin,
            new WebhookInput(new Uri(Platforms, "hook/matrix-events").ToString(), ["member.joined"], PlatformServer.WebhookSecret), default));
        Group = await _data.GroupAsync($"Tea {Secret}");
        OtherGroup = await _data.GroupAsync("Coffee corner");
        Member = await _data.MemberAsync(Group, $"Ada {Secret}");
        Product = await _data.ProductAsync();
        await _database.Get<OutboxRelay>().DrainAsync(default);
        WebhookEvent = Succeeded(await _database.Get<WebhookService>().DeliveriesAsync(Admin, Webhook, null, null, null, default)).Items[0].EventId;
        FlashSale = await _data.FlashSaleAsync(Group, stock: 100);
        GroupBuy = Succeeded(await _database.Get<GroupBuyService>().CreateAsync(Admin,
            new GroupBuyInput(Group, Product, [new GroupBuyTier(2, 9m), new GroupBuyTier(3, 8.5m)], 2, Now, Now.AddDays(1)), default));
        Order = await _data.OrderAsync(Member, Group, Product);
        Channel = Succeeded(await _database.Get<ChannelService>().AddAsync(Admin, Group, new ChannelInput(
            ChannelKind.Webhook, Name: $"Hook {Secret}", Url: new Uri(Platforms, "hook/matrix").ToString(), Secret: PlatformServer.WebhookSecret), default));
        Announcement = Succeeded(await _database.Get<AnnouncementService>().ScheduleAsync(Admin, new AnnouncementInput([Group], $"Sale {Secret}", Now.AddDays(1)), default));
        Event = (await EventAsync($"Friday {Secret}")).Id;
        TargetUser = await NewUserAsync();
        await using (var db = await _database.CreateDbContextAsync())
        {
            JoinCode = await db.Groups.Where(g => g.Id == Group).Select(g => g.JoinCode).SingleAsync();
        }

        await AddStaffAsync(Persona.Admin, PostgresFixture.AdminEmail, PostgresFixture.AdminPassword, CommunityFunnelAppFactory.ApiKey);
        await AddOperatorAsync(Persona.OperatorOfTheGroup, "matrix-op@test.local", Group);
        await AddOperatorAsync(Persona.OperatorOfAnotherGroup, "matrix-other@test.local", OtherGroup);
        var disabled = await AddOperatorAsync(Persona.DisabledUser, "matrix-gone@test.local", Group);
        Succeeded(await _database.App.Services.GetRequiredService<UserAdminService>().DisableAsync(Admin, disabled, default));

        var member = _database.App.CookieClient();
        var opened = await member.GetAsync($"/m/{await _data.PersonalLinkAsync(Member)}");
        Assert.Equal("/me", opened.Headers.Location?.OriginalString);
        _browsers[Persona.Member] = _apiClients[Persona.Member] = member;
        _browsers[Persona.Anonymous] = _database.App.CookieClient();
        _apiClients[Persona.Anonymous] = _database.App.ApiClient(apiKey: null);
    }

    /// <summary>Signs the operator in and gives them a key while they are still enabled; returns their user id.</summary>
    private async Task<string> AddOperatorAsync(Persona persona, string email, Guid group)
    {
        var user = await _data.OperatorAsync(email, group);
        var key = Succeeded(await _database.Get<ApiKeyService>().CreateForUserAsync(Admin, user.Id, "Matrix", default));
        await AddStaffAsync(persona, email, OperatorPassword, key.Secret);
        return user.Id;
    }

    private async Task AddStaffAsync(Persona persona, string email, string password, string apiKey)
    {
        var browser = _database.App.CookieClient();
        await CommunityFunnelAppFactory.SignInAsync(browser, email, password);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.GetAsync("/account/password")).StatusCode);
        _browsers[persona] = browser;
        _apiClients[persona] = _database.App.ApiClient(apiKey);
    }
}
