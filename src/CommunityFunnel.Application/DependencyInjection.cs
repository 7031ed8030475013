using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Analytics;
using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Demo;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Media;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Payments;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Application.Settings;
using CommunityFunnel.Application.Sharing;
using CommunityFunnel.Application.Setup;
using CommunityFunnel.Application.SignIn;
using CommunityFunnel.Application.SignIn.Sms;
using CommunityFunnel.Application.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommunityFunnel.Application;

public static class DependencyInjection
{
    public const int MinimumPasswordLength = 12;

    public static IServiceCollection AddCommunityFunnelApplication(this IServiceCollection services, string connectionString)
    {
        // Blazor Server circuits are long-lived: one short-lived DbContext per operation, never a circuit-scoped one.
        services.AddDbContextFactory<CommunityFunnelDbContext>(options => options.UseCommunityFunnelNpgsql(connectionString));
        services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<CommunityFunnelDbContext>>().CreateDbContext()); // Identity's stores
        services.TryAddSingleton(TimeProvider.System);

        services.AddDataProtection().SetApplicationName("CommunityFunnel").PersistKeysToDbContext<CommunityFunnelDbContext>();
        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.Password.RequiredLength = MinimumPasswordLength; // length over composition rules (NIST SP 800-63B)
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CommunityFunnelDbContext>()
            .AddDefaultTokenProviders(); // password-reset tokens for setup links, the authenticator for two-factor sign-in
        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = UserAdminService.SetupLinkLifetime);
        services.AddSingleton<SessionRevocations>();
        services.AddSingleton<OwnAccountChanges>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<TwoFactorService>();
        services.AddSingleton<AppSettingsService>();

        services.AddSingleton<DomainEventDispatcher>();
        services.AddSingleton<IHandles<Domain.Orders.OrderPaid>, Referrals.AnnounceReferredOrderPaid>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<Rebates.RebateLedger>();
        services.AddSingleton<Rebates.CommissionPlans>();
        services.AddSingleton<Rebates.RebateAccounts>();
        services.AddSingleton<Referrals.ReferralReview>();
        services.AddSingleton<Referrals.NeverPayingReferrals>();
        services.AddSingleton<Referrals.PartnerBoard>();
        services.AddSingleton<Promotions.PromotionDayService>();
        services.AddMemoryCache();
        services.AddSingleton<RedEnvelopes.RedEnvelopeRains>();
        services.AddSingleton<Wallet.MemberWallets>();
        services.AddSingleton<Promotions.PromotionDayScheduler>();
        services.AddSingleton<IHandles<Domain.Referrals.MemberReferred>, Promotions.GiveNewcomerGiftOnPromotionDay>();
        services.AddSingleton<IHandles<Referrals.ReferredOrderPaid>, Promotions.GiveReferrerGiftWhenNewcomerFirstPays>();
        services.AddSingleton<Payouts.PayoutService>();
        services.AddSingleton<Payouts.PayoutCsvExporter>();
        services.AddSingleton<IHandles<Referrals.ReferredOrderPaid>, Rebates.CreditRebatesWhenReferredOrderPaid>();
        services.AddSingleton<IHandles<Domain.Orders.OrderRefunded>, Rebates.ClawBackRebatesWhenOrderRefunded>();
        services.AddSingleton<IHandles<Referrals.ReferredOrderPaid>, Sharing.PromoteReferrerWhenReferredMemberPays>();
        services.AddSingleton<IHandles<Domain.Orders.OrderRefunded>, Sharing.RevokeReferrersSharingWhenOrderRefunded>();
        services.AddSingleton<IHandles<Domain.Rebates.RebateCredited>, Sharing.PromotePartnerWhenRebateCredited>();
        services.AddSingleton<IHandles<Domain.Rebates.RebateClawedBack>, Sharing.RevokePartnerWhenRebateTakenBack>();
        services.AddSingleton<OutboxHousekeeping>();
        services.AddSingleton<GroupService>();
        services.AddSingleton<MemberService>();
        services.AddSingleton<MemberDirectory>();
        services.AddSingleton<StoredPhoneBackfill>();
        services.AddSingleton<PhoneFindingsReport>();
        services.AddSingleton<MemberCsvImporter>();
        services.AddSingleton<MemberCsvExporter>();
        services.AddSingleton<PricingService>();
        services.AddSingleton<ProductService>();
        services.AddSingleton<ProductPictures>();
        services.AddSingleton<ProductShowcase>();
        services.AddSingleton<ImageLibrary>();
        services.AddSingleton<PostPictures>();
        services.AddSingleton<PaymentInstructions>();
        services.AddSingleton<OrderService>();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<UserAdminService>();
        services.AddSingleton<DemoDataSeeder>();
        services.AddSingleton<SaleAnnouncer>();
        services.AddSingleton<FlashSaleClaims>();
        services.AddSingleton<FlashSaleService>();
        services.AddSingleton<GroupBuyService>();
        services.AddSingleton<FlashSaleTemplateService>();
        services.AddSingleton<MemberPortal>();
        services.AddSingleton<MemberOffers>();
        services.AddSingleton<MemberOrders>();
        services.AddSingleton<Today.TodayBoard>();
        services.AddSingleton<MemberLinks>();
        services.AddOptions<PosterOptions>();
        services.AddSingleton(LoadPosterFonts);
        services.AddSingleton<PosterRenderer>();
        services.AddSingleton<SharingService>();
        AddSignIn(services);
        AddAnnouncements(services);
        AddWebhooks(services);
        services.AddSingleton<DatabaseInitializer>();
        return services;
    }

    private static void AddSignIn(IServiceCollection services)
    {
        services.AddOptions<SmsOptions>();
        services.AddOptions<SignInLimits>();
        services.AddOptions<TelegramLoginOptions>();
        services.AddHttpClient(SmsHttp.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllLoggers(); // no request URLs or headers in the logs
        services.AddSingleton<TwilioSmsSender>();
        services.AddSingleton<TencentSmsSender>();
        services.AddSingleton<DevelopmentSmsOutbox>();
        services.AddSingleton<SmsGateway>();
        services.AddSingleton<RateCounters>();
        services.AddSingleton<SignInCodes>();
        services.AddSingleton<SignInHousekeeping>();
        services.AddSingleton<MemberSignIn>();
        services.AddSingleton<TelegramLogin>();
    }

    private static void AddAnnouncements(IServiceCollection services)
    {
        services.AddOptions<ChannelOptions>();
        services.AddHttpClient(SafeHttp.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => SafeHttp.CreateHandler(() => sp.GetRequiredService<IOptionsMonitor<ChannelOptions>>().CurrentValue.AllowPrivateAddresses))
            .RemoveAllLoggers(); // the default handler logs request URLs, and a robot key or bot token is part of the URL
        services.AddSingleton<ChannelSecrets>();
        services.AddSingleton<IChannelConnector, WeComConnector>();
        services.AddSingleton<IChannelConnector, TelegramConnector>();
        services.AddSingleton<IChannelConnector, DiscordConnector>();
        services.AddSingleton<IChannelConnector, SlackConnector>();
        services.AddSingleton<IChannelConnector, WebhookConnector>();
        services.AddSingleton<DispatcherSignal>();
        services.AddSingleton<DispatchListener>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddTransient<DispatchLoop>();
        services.AddSingleton<ChannelService>();
        services.AddSingleton<AnnouncementService>();
        services.AddSingleton<EventService>();
        services.AddSingleton<AnnouncementBoard>();
    }

    /// <summary>Loaded on the first poster, and said in the log once: which fonts, or why posters will lack (Chinese) text.</summary>
    private static PosterFonts LoadPosterFonts(IServiceProvider services)
    {
        var fonts = PosterFonts.Load(services.GetRequiredService<IOptions<PosterOptions>>().Value.FontFiles.Concat(PosterFonts.InstalledFiles));
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger<PosterFonts>();
        if (fonts.IsEmpty)
        {
            log.LogError("No font file found for posters ({Files}): posters will carry their QR code but no text. Install fonts-wqy-zenhei or set Posters:FontFiles.",
                string.Join(", ", PosterFonts.InstalledFiles));
        }
        else if (!fonts.DrawsChinese)
        {
            log.LogWarning("No font for Chinese text among {Files}: Chinese names and offers are left off posters. Install fonts-wqy-zenhei or set Posters:FontFiles.",
                string.Join(", ", fonts.Files));
        }
        else
        {
            log.LogInformation("Posters draw text with {Files}", string.Join(", ", fonts.Files));
        }

        return fonts;
    }

    private static void AddWebhooks(IServiceCollection services)
    {
        // Requests go through the channels' SSRF-guarded client (SafeHttp.ClientName), registered with the announcements.
        services.AddOptions<WebhookOptions>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookDeliveryStore>();
        services.AddSingleton<IOutboxSubscriber, WebhookFanOut>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookHousekeeping>();
        services.AddSingleton<WebhookService>();
    }

    /// <summary>
    /// Statements the app runs again and again (a payment's dozen) are prepared once per connection and kept across the
    /// pool, so PostgreSQL stops parsing and planning them every time; a connection string may still set its own limit.
    /// </summary>
    public static DbContextOptionsBuilder UseCommunityFunnelNpgsql(this DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(WithAutoPrepare(connectionString), npgsql => npgsql.MigrationsHistoryTable("__EFMigrationsHistory", CommunityFunnelDbContext.Schema))
            .UseSnakeCaseNamingConvention();

    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 200;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}
