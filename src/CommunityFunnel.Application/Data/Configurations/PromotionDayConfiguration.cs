using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Promotions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class PromotionDayConfiguration : IEntityTypeConfiguration<PromotionDay>
{
    public void Configure(EntityTypeBuilder<PromotionDay> builder)
    {
        builder.ToTable("promotion_days", t =>
        {
            t.HasCheckConstraint("ck_promotion_days_day", "day_of_month BETWEEN 1 AND 31");
            t.HasCheckConstraint("ck_promotion_days_multiplier", $"multiplier BETWEEN 1 AND {PromotionDay.MaxMultiplier}");
        });
        builder.HasKey(p => p.GroupId);
        builder.Property(p => p.Multiplier).HasPrecision(4, 2);
        builder.Property(p => p.Version).IsRowVersion();
        builder.HasOne<Group>().WithOne().HasForeignKey<PromotionDay>(p => p.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Product>().WithMany().HasForeignKey(p => p.GiftProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SalesEvent>().WithMany().HasForeignKey(p => p.NextEventId).OnDelete(DeleteBehavior.SetNull);
    }
}
