using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Demo;
using CommunityFunnel.Application.Setup;
using CommunityFunnel.Application.Sharing;
using CommunityFunnel.Application.SignIn;
using CommunityFunnel.Application.SignIn.Sms;
using CommunityFunnel.Application.Webhooks;
using CommunityFunnel.Web.Account;
using CommunityFunnel.Web.Api;
using CommunityFunnel.Web.Components;
using CommunityFunnel.Web.Groups;
using CommunityFunnel.Web.Hardening;
using CommunityFunnel.Web.Media;
using CommunityFunnel.Web.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using MudBlazor.Services;

namespace CommunityFunnel.Web;

internal static class WebRegistration
{
    public const string SmartScheme = "cookie-or-api-key";
    // Browsers asking for zh-TW/zh-HK/zh-MO reach zh-Hant, zh-CN/zh-SG zh-Hans, and es-* es through their parent cultures.
    public static readonly CultureInfo[] SupportedCultures = [new("en"), new("zh-Hans"), new("zh-Hant"), new("es")];

    public static WebApplicationBuilder AddCommunityFunnelWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        // Chinese and Arabic pages as text, not as &#x..; entities (still HTML-encoded where it matters).
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddCascadingAuthenticationState();
        services.AddScoped<CurrentActor>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemResults.AddDefaultCode);
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true; // pages and sign-out forms are not API
            options.AddDocumentTransformer<BearerSecurityTransformer>();
            options.AddDocumentTransformer<SaleCreationTransformer>();
        });

        services.Configure<ChannelOptions>(builder.Configuration.GetSection(ChannelOptions.Section));
        services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.Section));
        services.Configure<SecurityOptions>(builder.Configuration.GetSection(SecurityOptions.Section));
        services.Configure<SmsOptions>(builder.Configuration.GetSection(SmsOptions.Section));
        services.PostConfigure<SmsOptions>(options => options.UseDevelopmentOutbox = builder.Environment.IsDevelopment());
        services.Configure<SignInLimits>(builder.Configuration.GetSection(SignInLimits.Section));
        services.Configure<TelegramLoginOptions>(builder.Configuration.GetSection(TelegramLoginOptions.Section));
        services.Configure<PosterOptions>(builder.Configuration.GetSection(PosterOptions.Section));
        AddAuthentication(services);
        services.AddCommunityFunnelRateLimits(builder.Configuration);
        services.AddHealthChecks().AddDbContextCheck<CommunityFunnelDbContext>("database", tags: ["ready"]);
        builder.AddCommunityFunnelHardening();
        return builder;
    }

    public static WebApplication UseCommunityFunnelWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseDatabaseOutageResponses();

        app.UseStatusCodePages();
        app.UseRequestLocalization(options =>
        {
            options.SetDefaultCulture("en");
            options.SupportedCultures = SupportedCultures;
            options.SupportedUICultures = SupportedCultures;
            options.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        app.UseMemberPageCulture();
        app.UseAuthentication();
        app.UseMemberSessions();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAdminTwoFactorRequirement();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapPortalEndpoints();
        app.MapShareEndpoints();
        if (app.Environment.IsDevelopment())
        {
            app.MapDevelopmentSmsOutbox();
        }

        app.MapExportEndpoints();
        app.MapJoinLinkEndpoints();
        app.MapMediaEndpoints();
        app.MapCommunityFunnelApi();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarDocs();
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }

    /// <summary>Migrates, ensures roles, the first admin, the bootstrap API key and (when asked) demo data.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        var bootstrap = app.Configuration.GetSection(BootstrapOptions.Section).Get<BootstrapOptions>() ?? new BootstrapOptions();
        var seedDemo = app.Configuration.GetValue("Seed:Demo", defaultValue: false);
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(bootstrap, seedDemo, app.Lifetime.ApplicationStopping);
        app.Lifetime.ApplicationStarted.Register(() => PrintWhereToSignIn(app, bootstrap, seedDemo));
    }

    private static void PrintWhereToSignIn(WebApplication app, BootstrapOptions bootstrap, bool seedDemo)
    {
        var url = app.Urls.FirstOrDefault() ?? "http://localhost:5080";
        app.Logger.LogInformation("CommunityFunnel is running: sign in at {Url}/login", url);
        if (app.Environment.IsDevelopment() && !string.IsNullOrEmpty(bootstrap.AdminPassword))
        {
            app.Logger.LogInformation("Development admin: {Email} / {Password}", bootstrap.AdminEmail, bootstrap.AdminPassword);
        }

        if (seedDemo)
        {
            app.Logger.LogInformation("Demo operator: {Email} / {Password} (runs two of the three demo groups)",
                DemoDataSeeder.OperatorEmail, DemoDataSeeder.OperatorPassword);
        }
    }

    /// <summary>
    /// A cookie whose security stamp this instance has just replaced fails at once; any other is checked against the
    /// database by Identity's stamp validator every <see cref="SecurityOptions.SessionCheckInterval"/>.
    /// </summary>
    private static async Task RefuseRevokedSessionsAsync(CookieValidatePrincipalContext context)
    {
        var identity = context.HttpContext.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var revoked = context.HttpContext.RequestServices.GetRequiredService<SessionRevocations>().IsRevoked(
            context.Principal?.FindFirstValue(identity.UserIdClaimType), context.Principal?.FindFirstValue(identity.SecurityStampClaimType));
        if (revoked)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    private static void AddAuthentication(IServiceCollection services)
    {
        new IdentityBuilder(typeof(ApplicationUser), typeof(IdentityRole), services).AddSignInManager<ApplicationSignInManager>();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAccountStateProvider>();
        services.AddScoped<CircuitHandler, RevocationCircuitHandler>();
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<SecurityOptions>>((stamp, security) =>
            stamp.ValidationInterval = security.Value.EffectiveSessionCheckInterval);
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = SmartScheme;
                options.DefaultChallengeScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie for people, API key for /api", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Path.StartsWithSegments("/api") ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        new AuthenticationBuilder(services).AddMemberSessions();

        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/login";
            options.AccessDeniedPath = "/access-denied";
            options.Cookie.Name = "cf.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = RefuseRevokedSessionsAsync;
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Staff, policy => policy.RequireRole(Roles.Admin, Roles.Operator));
    }
}
