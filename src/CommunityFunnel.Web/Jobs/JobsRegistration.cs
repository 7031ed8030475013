using CommunityFunnel.Application.Announcements;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Application.SignIn;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CommunityFunnel.Web.Jobs;

/// <summary>All Hangfire wiring: PostgreSQL storage in schema "hangfire", a server polling every second, the admin dashboard.</summary>
internal static class JobsRegistration
{
    public const string DashboardPath = "/admin/jobs";

    public static WebApplicationBuilder AddCommunityFunnelJobs(this WebApplicationBuilder builder, string connectionString)
    {
        builder.Services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseFilter(new AutomaticRetryAttribute { Attempts = 3 })
            .UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire",
                    QueuePollInterval = TimeSpan.FromSeconds(1), // default 15 s: an enqueued job would wait that long
                    PrepareSchemaIfNecessary = true,
                    // Default 10 min: a lock whose release was lost to a PostgreSQL restart stalled the 5-second
                    // recurring jobs (reservations, group-buy settlement) that long (seen in the fault suite).
                    DistributedLockTimeout = TimeSpan.FromMinutes(1),
                }));

        // Tests and one-off tools set Hangfire:RunServer=false and call job classes directly.
        if (builder.Configuration.GetValue("Hangfire:RunServer", defaultValue: true))
        {
            builder.Services.AddHangfireServer(options => options.SchedulePollingInterval = TimeSpan.FromSeconds(1));
            builder.Services.AddHostedService<RecurringJobRegistrar>();
        }

        if (builder.Configuration.GetValue("Announcements:RunDispatcher", defaultValue: true))
        {
            builder.Services.AddHostedService<DispatcherLoop>();
        }

        builder.Services.AddHealthChecks().AddCheck<HangfireStorageHealthCheck>("hangfire", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapCommunityFunnelJobs(this WebApplication app)
    {
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.Admin, DashboardPath, new DashboardOptions
        {
            DashboardTitle = "CommunityFunnel jobs",
            AppPath = "/",
        });
        return app;
    }
}

/// <summary>Every recurring job in one place; stable ids make AddOrUpdate idempotent across restarts.</summary>
internal sealed class RecurringJobRegistrar(IRecurringJobManager recurringJobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The dispatcher loop sends on time; this sweep catches anything a stopped instance left behind.
        recurringJobs.AddOrUpdate<DeliveryDispatcher>("announcements.dispatch-sweep", dispatcher => dispatcher.RunOnceAsync(CancellationToken.None), Cron.Minutely());

        // Six-part (seconds) schedules: unpaid units go back on sale, and group-buys settle, within seconds of their deadline.
        recurringJobs.AddOrUpdate<FlashSaleService>("sales.expire-reservations", sales => sales.ExpireReservationsAsync(CancellationToken.None), "*/5 * * * * *");
        recurringJobs.AddOrUpdate<SaleAnnouncer>("sales.announce-stock", announcer => announcer.CatchUpAsync(CancellationToken.None), Cron.Minutely());
        recurringJobs.AddOrUpdate<GroupBuyService>("sales.settle-group-buys", groupBuys => groupBuys.SettleDueAsync(CancellationToken.None), "*/5 * * * * *");
        recurringJobs.AddOrUpdate<FlashSaleTemplateService>("sales.schedule-flash-sales", templates => templates.ScheduleUpcomingAsync(CancellationToken.None), Cron.Hourly());
        recurringJobs.Trigger("sales.schedule-flash-sales"); // a fresh deployment has its week of sessions now, not at the next hour
        recurringJobs.AddOrUpdate<RelayOutboxJob>("events.relay-outbox", job => job.RunAsync(CancellationToken.None), "*/2 * * * * *");
        recurringJobs.AddOrUpdate<ReleaseRebatesJob>("rebates.release", job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        recurringJobs.AddOrUpdate<FlagNeverPayingReferralsJob>("referrals.flag-never-paying", job => job.RunAsync(CancellationToken.None), Cron.Daily(3));
        recurringJobs.AddOrUpdate<SchedulePromotionDaysJob>("promotion-days.schedule", job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        recurringJobs.AddOrUpdate<SendWebhooksJob>("webhooks.send", job => job.RunAsync(CancellationToken.None), "*/2 * * * * *");
        recurringJobs.AddOrUpdate<PurgeEventsJob>("events.purge", job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        recurringJobs.AddOrUpdate<SignInHousekeeping>("sign-in.purge", housekeeping => housekeeping.PurgeAsync(CancellationToken.None), Cron.Hourly());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Ready only when Hangfire's storage answers (it shares the database, but has its own schema and connections).</summary>
internal sealed class HangfireStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = storage.GetConnection();
            connection.GetAllItemsFromSet("health-probe");
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire storage is unreachable.", ex));
        }
    }
}
