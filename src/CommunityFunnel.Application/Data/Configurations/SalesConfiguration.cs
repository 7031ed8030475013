using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class FlashSaleConfiguration : IEntityTypeConfiguration<FlashSale>
{
    public void Configure(EntityTypeBuilder<FlashSale> builder)
    {
        builder.ToTable("flash_sales", t =>
        {
            // The last line of defence against overselling: the counter can never go below zero or above the stock.
            t.HasCheckConstraint("ck_flash_sales_remaining", "remaining BETWEEN 0 AND stock");
            t.HasCheckConstraint("ck_flash_sales_limit", "per_member_limit BETWEEN 1 AND stock");
            t.HasCheckConstraint("ck_flash_sales_window", "ends_at > starts_at");
            t.HasCheckConstraint("ck_flash_sales_price", "price > 0");
        });
        builder.Property(s => s.Price).HasPrecision(12, 2);
        builder.Property(s => s.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(s => s.MinStage).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(s => new { s.GroupId, s.StartsAt });
        builder.HasIndex(s => new { s.TemplateId, s.StartsAt }).IsUnique().HasFilter("template_id IS NOT NULL");
        builder.HasOne<Group>().WithMany().HasForeignKey(s => s.GroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Product>().WithMany().HasForeignKey(s => s.ProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<FlashSaleTemplate>().WithMany().HasForeignKey(s => s.TemplateId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class FlashSaleBuyerConfiguration : IEntityTypeConfiguration<FlashSaleBuyer>
{
    public void Configure(EntityTypeBuilder<FlashSaleBuyer> builder)
    {
        builder.ToTable("flash_sale_buyers", t => t.HasCheckConstraint("ck_flash_sale_buyers_quantity", "quantity >= 0"));
        builder.HasKey(b => new { b.FlashSaleId, b.MemberId });
        builder.HasOne<FlashSale>().WithMany().HasForeignKey(b => b.FlashSaleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Member>().WithMany().HasForeignKey(b => b.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FlashSaleTemplateConfiguration : IEntityTypeConfiguration<FlashSaleTemplate>
{
    public void Configure(EntityTypeBuilder<FlashSaleTemplate> builder)
    {
        builder.ToTable("flash_sale_templates");
        builder.Property(t => t.Price).HasPrecision(12, 2);
        builder.Property(t => t.MinStage).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(t => t.GroupId);
        builder.HasOne<Group>().WithMany().HasForeignKey(t => t.GroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Product>().WithMany().HasForeignKey(t => t.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class GroupBuyConfiguration : IEntityTypeConfiguration<GroupBuy>
{
    public void Configure(EntityTypeBuilder<GroupBuy> builder)
    {
        builder.ToTable("group_buys");
        builder.Property(g => g.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(g => g.FinalPrice).HasPrecision(12, 2);
        builder.OwnsMany(g => g.Tiers, tiers =>
        {
            tiers.ToJson();
            tiers.Property(t => t.Price).HasPrecision(12, 2);
        });
        builder.HasIndex(g => new { g.GroupId, g.OpensAt });
        builder.HasIndex(g => g.ClosesAt).HasFilter("settled_at IS NULL");
        builder.HasOne<Group>().WithMany().HasForeignKey(g => g.GroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Product>().WithMany().HasForeignKey(g => g.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SaleAnnouncementPlanConfiguration : IEntityTypeConfiguration<SaleAnnouncementPlan>
{
    public void Configure(EntityTypeBuilder<SaleAnnouncementPlan> builder)
    {
        builder.ToTable("sale_announcement_plans");
        builder.HasKey(p => p.SaleId); // a flash sale's or a group-buy's id: no foreign key can point at both
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Link).HasMaxLength(500);
        builder.HasIndex(p => p.GroupId);
        builder.HasOne<Group>().WithMany().HasForeignKey(p => p.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SalePostConfiguration : IEntityTypeConfiguration<SalePost>
{
    public void Configure(EntityTypeBuilder<SalePost> builder)
    {
        builder.ToTable("sale_posts");
        builder.HasKey(p => new { p.SaleId, p.Trigger }); // each of a sale's posts happens once, whoever races to write it
        builder.Property(p => p.Trigger).HasMaxLength(32);
        builder.HasIndex(p => p.PostId).IsUnique();
        builder.HasOne<SaleAnnouncementPlan>().WithMany().HasForeignKey(p => p.SaleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Post>().WithMany().HasForeignKey(p => p.PostId).OnDelete(DeleteBehavior.Cascade);
    }
}
