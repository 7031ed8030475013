using CommunityFunnel.Application.Common;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("orders", t =>
        {
            t.HasCheckConstraint("ck_orders_quantity", $"quantity BETWEEN 1 AND {Order.MaxQuantity}");
            t.HasCheckConstraint("ck_orders_unit_price", "unit_price > 0 OR (status = 'Gifted' AND unit_price = 0)");
            t.HasCheckConstraint("ck_orders_refunded", "refunded_amount BETWEEN 0 AND unit_price * quantity AND refunded_quantity BETWEEN 0 AND quantity");
        });
        builder.Property(o => o.Tier).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.UnitPrice).HasPrecision(12, 2);
        builder.Property(o => o.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(o => o.Version).IsRowVersion();
        builder.Ignore(o => o.Total);
        builder.Ignore(o => o.RefundableAmount);
        builder.Ignore(o => o.RefundableQuantity);
        builder.Ignore(o => o.RefundableUnits);
        builder.Property(o => o.RefundedAmount).HasPrecision(12, 2);
        builder.HasMany(o => o.Refunds).WithOne().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(o => o.Refunds).HasField("_refunds");
        builder.Ignore(o => o.PaymentReference);
        builder.Property(o => o.IdempotencyKey).HasMaxLength(IdempotencyKeys.MaxLength);
        builder.HasIndex(o => new { o.FlashSaleId, o.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");
        builder.HasIndex(o => o.PaymentDueAt).HasFilter("status = 'Pending' AND flash_sale_id IS NOT NULL AND payment_reported_at IS NULL"); // the expiry sweep
        builder.HasIndex(o => new { o.GroupId, o.PaymentReportedAt }).HasFilter("status = 'Pending' AND payment_reported_at IS NOT NULL"); // the to-confirm queue
        // One live participation per member and group-buy.
        builder.HasIndex(o => new { o.GroupBuyId, o.MemberId }).IsUnique().HasFilter("group_buy_id IS NOT NULL AND status IN ('Pending', 'Paid')");
        builder.HasOne<FlashSale>().WithMany().HasForeignKey(o => o.FlashSaleId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<GroupBuy>().WithMany().HasForeignKey(o => o.GroupBuyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(o => new { o.MemberId, o.Status });
        builder.HasIndex(o => new { o.MemberId, o.GiftForReferralId }).IsUnique().HasFilter("gift_for_referral_id IS NOT NULL"); // one gift per member and referral
        builder.HasOne<Domain.Referrals.Referral>().WithMany().HasForeignKey(o => o.GiftForReferralId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(o => new { o.GroupId, o.CreatedAt });
        builder.HasIndex(o => new { o.Status, o.PaidAt });
        builder.HasOne<Member>().WithMany().HasForeignKey(o => o.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Group>().WithMany().HasForeignKey(o => o.GroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Product>().WithMany().HasForeignKey(o => o.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OrderRefundConfiguration : IEntityTypeConfiguration<OrderRefund>
{
    public const string IdempotencyKeyIndex = "ix_order_refunds_idempotency_key";

    public void Configure(EntityTypeBuilder<OrderRefund> builder)
    {
        builder.ToTable("order_refunds", t => t.HasCheckConstraint("ck_order_refunds_amount", "amount > 0"));
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Amount).HasPrecision(12, 2);
        builder.Property(r => r.Basis).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.RefundedBy).HasMaxLength(OrderRefund.MaxRefundedByLength);
        builder.Property(r => r.IdempotencyKey).HasMaxLength(IdempotencyKeys.MaxLength);
        builder.HasIndex(r => r.OrderId);
        // A key names one refund of one order: a retry finds it, and a concurrent twin fails here and finds it on its retry.
        builder.HasIndex(r => r.IdempotencyKey).IsUnique().HasFilter("idempotency_key IS NOT NULL").HasDatabaseName(IdempotencyKeyIndex);
    }
}
