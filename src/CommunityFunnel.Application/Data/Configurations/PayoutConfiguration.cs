using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class PayoutConfiguration : IEntityTypeConfiguration<Payout>
{
    public void Configure(EntityTypeBuilder<Payout> builder)
    {
        builder.ToTable("payouts", t =>
        {
            t.HasCheckConstraint("ck_payouts_minimum", "minimum > 0");
            t.HasCheckConstraint("ck_payouts_status", """
                (status = 'Draft' AND paid_at IS NULL AND cancelled_at IS NULL)
                OR (status = 'Paid' AND paid_at IS NOT NULL AND cancelled_at IS NULL)
                OR (status = 'Cancelled' AND paid_at IS NULL AND cancelled_at IS NOT NULL)
                """);
        });
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(p => p.Minimum).HasPrecision(12, 2);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.CreatedBy).HasMaxLength(Payout.MaxActorLength);
        builder.Property(p => p.PaidBy).HasMaxLength(Payout.MaxActorLength);
        builder.Property(p => p.Version).IsRowVersion();
        builder.Ignore(p => p.Total);
        builder.HasMany(p => p.Items).WithOne().HasForeignKey(i => i.PayoutId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(p => p.Items).HasField("_items");
        builder.HasIndex(p => p.CreatedAt);
    }
}

internal sealed class PayoutItemConfiguration : IEntityTypeConfiguration<PayoutItem>
{
    public void Configure(EntityTypeBuilder<PayoutItem> builder)
    {
        builder.ToTable("payout_items", t =>
        {
            t.HasCheckConstraint("ck_payout_items_amount", "amount > 0");
            t.HasCheckConstraint("ck_payout_items_hold", "(status = 'Included' AND hold_reason IS NULL) OR (status = 'HeldBack' AND hold_reason IS NOT NULL)");
        });
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(i => i.Amount).HasPrecision(12, 2);
        builder.Property(i => i.Reference).HasMaxLength(PayoutReferences.Length);
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.HoldReason).HasMaxLength(PayoutItem.MaxHoldReasonLength);
        builder.Property(i => i.Version).IsRowVersion();
        builder.HasIndex(i => i.Reference).IsUnique();
        builder.HasIndex(i => new { i.PayoutId, i.MemberId }).IsUnique();
        // No double payout: a member is in one unpaid batch per currency at a time, whichever instance makes the batches.
        builder.HasIndex(i => new { i.MemberId, i.Currency }).IsUnique().HasDatabaseName("ix_payout_items_one_open_per_member").HasFilter("is_open");
        builder.HasOne<Member>().WithMany().HasForeignKey(i => i.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
