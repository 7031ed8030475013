using System.Text.Json;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Rebates;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class CommissionPlanConfiguration : IEntityTypeConfiguration<CommissionPlan>
{
    /// <summary>The stored format's own options, not the published events': a change to what webhooks send must not change what is stored.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public void Configure(EntityTypeBuilder<CommissionPlan> builder)
    {
        builder.ToTable("commission_plans", t =>
        {
            t.HasCheckConstraint("ck_commission_plans_levels", "level1_percent BETWEEN 0 AND 100 AND level2_percent BETWEEN 0 AND level1_percent AND level1_percent + level2_percent <= 100");
            t.HasCheckConstraint("ck_commission_plans_hold", $"hold_days BETWEEN 0 AND {CommissionPlan.MaxHoldDays}");
        });
        builder.HasKey(p => p.Currency);
        builder.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(p => p.Level1Percent).HasColumnName("level1_percent").HasPrecision(5, 2);
        builder.Property(p => p.Level2Percent).HasColumnName("level2_percent").HasPrecision(5, 2);
        builder.Property(p => p.MinOrderAmount).HasPrecision(12, 2);
        builder.Property(p => p.PerOrderCap).HasPrecision(12, 2);
        builder.Property(p => p.Tiers).HasColumnType("jsonb").HasConversion(
            tiers => JsonSerializer.Serialize(tiers, Json),
            json => JsonSerializer.Deserialize<List<TierRate>>(json, Json) ?? new List<TierRate>(),
            new ValueComparer<List<TierRate>>((a, b) => a!.SequenceEqual(b!), tiers => tiers.Aggregate(0, (h, t) => HashCode.Combine(h, t)), tiers => tiers.ToList()));
        builder.Property(p => p.Version).IsRowVersion();
        builder.Ignore(p => p.Terms);
    }
}

internal sealed class RebateEntryConfiguration : IEntityTypeConfiguration<RebateEntry>
{
    public void Configure(EntityTypeBuilder<RebateEntry> builder)
    {
        // Each kind moves the balances one way only; the database refuses any other shape, whoever writes the row.
        builder.ToTable("rebate_entries", t => t.HasCheckConstraint("ck_rebate_entries_shape", """
            (kind = 'Earned' AND pending_delta > 0 AND available_delta = 0 AND paid_out_delta = 0 AND level IN (1, 2))
            OR (kind = 'Released' AND pending_delta < 0 AND available_delta = -pending_delta AND paid_out_delta = 0 AND level IN (1, 2))
            OR (kind = 'Voided' AND pending_delta < 0 AND available_delta = 0 AND paid_out_delta = 0 AND level IN (1, 2))
            OR (kind = 'ClawedBack' AND pending_delta = 0 AND available_delta < 0 AND paid_out_delta = 0 AND level IN (1, 2))
            OR (kind = 'PaidOut' AND pending_delta = 0 AND available_delta < 0 AND paid_out_delta = -available_delta AND level = 0)
            """));
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Sequence).UseIdentityAlwaysColumn();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(e => e.Level).HasColumnType("smallint");
        builder.Property(e => e.PendingDelta).HasPrecision(12, 2);
        builder.Property(e => e.AvailableDelta).HasPrecision(12, 2);
        builder.Property(e => e.PaidOutDelta).HasPrecision(12, 2);
        builder.Ignore(e => e.Amount);
        builder.HasIndex(e => new { e.Kind, e.SourceId, e.MemberId, e.Level }).IsUnique(); // each credit, release, clawback and payout once
        builder.HasIndex(e => new { e.MemberId, e.Currency });
        builder.HasIndex(e => e.OrderId);
        builder.HasIndex(e => e.AvailableAt).HasDatabaseName("ix_rebate_entries_awaiting_release").HasFilter("kind = 'Earned' AND available_at IS NOT NULL");
        builder.HasOne<Member>().WithMany().HasForeignKey(e => e.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Member>().WithMany().HasForeignKey(e => e.BuyerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Order>().WithMany().HasForeignKey(e => e.OrderId).OnDelete(DeleteBehavior.Restrict);
    }
}
