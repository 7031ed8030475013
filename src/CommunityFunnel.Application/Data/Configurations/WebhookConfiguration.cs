using CommunityFunnel.Application.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("webhook_subscriptions");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Url).HasMaxLength(WebhookSubscription.UrlMaxLength);
        builder.Property(s => s.Events).HasColumnType("text[]");
        builder.Property(s => s.SecretHint).HasMaxLength(16);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.Property(d => d.Id).UseIdentityAlwaysColumn();
        builder.Property(d => d.EventType).HasMaxLength(64);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(WebhookAttempt.ErrorMaxLength);
        builder.HasIndex(d => new { d.SubscriptionId, d.EventId }).IsUnique(); // an event reaches a subscription once, however often it is relayed
        builder.HasIndex(d => new { d.NextAttemptAt, d.Id }).HasDatabaseName("ix_webhook_deliveries_due").HasFilter("status = 'Pending'"); // the senders' queue
        builder.HasIndex(d => d.ClaimedUntil).HasDatabaseName("ix_webhook_deliveries_claimed").HasFilter("status = 'Sending'"); // leases to reclaim
        builder.HasIndex(d => d.FinishedAt).HasDatabaseName("ix_webhook_deliveries_finished").HasFilter("finished_at IS NOT NULL"); // housekeeping
        // what the subscription list counts (waiting, given up): few rows, while delivered ones pile up for 30 days
        builder.HasIndex(d => d.SubscriptionId).HasDatabaseName("ix_webhook_deliveries_open").HasFilter("status IN ('Pending', 'Sending', 'Failed')");
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Error).HasMaxLength(WebhookAttempt.ErrorMaxLength);
        builder.HasIndex(a => a.DeliveryId);
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
