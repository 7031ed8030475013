using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Media;
using CommunityFunnel.Domain.Pricing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class PriceBandConfiguration : IEntityTypeConfiguration<PriceBand>
{
    public void Configure(EntityTypeBuilder<PriceBand> builder)
    {
        builder.ToTable("price_bands");
        builder.HasKey(b => new { b.Currency, b.Tier });
        builder.Property(b => b.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(b => b.Tier).HasConversion<string>().HasMaxLength(16);
        builder.Property(b => b.MinPrice).HasPrecision(12, 2);
        builder.Property(b => b.MaxPrice).HasPrecision(12, 2);
    }
}

internal sealed class SharingRuleConfiguration : IEntityTypeConfiguration<SharingRule>
{
    public void Configure(EntityTypeBuilder<SharingRule> builder)
    {
        builder.ToTable("sharing_rules");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Mode).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.RebatesEarnedRequired).HasPrecision(12, 2).HasDefaultValue(SharingRule.DefaultRebatesEarnedRequired);
        builder.Property(r => r.RebatesCurrency).HasMaxLength(3).HasDefaultValue(Domain.Common.Currencies.Default);
        builder.Ignore(r => r.Terms);
    }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products");
        builder.Property(p => p.Name).HasMaxLength(Product.NameMaxLength);
        builder.Property(p => p.Description).HasMaxLength(Product.DescriptionMaxLength);
        builder.Property(p => p.Tier).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Price).HasPrecision(12, 2);
        builder.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(p => p.Version).IsRowVersion();
    }
}

internal sealed class GroupProductConfiguration : IEntityTypeConfiguration<GroupProduct>
{
    public void Configure(EntityTypeBuilder<GroupProduct> builder)
    {
        builder.ToTable("group_products");
        builder.HasKey(gp => new { gp.GroupId, gp.ProductId });
        builder.HasOne<Group>().WithMany().HasForeignKey(gp => gp.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Product>().WithMany().HasForeignKey(gp => gp.ProductId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProductPictureConfiguration : IEntityTypeConfiguration<ProductPicture>
{
    public void Configure(EntityTypeBuilder<ProductPicture> builder)
    {
        builder.ToTable("product_pictures");
        builder.HasIndex(p => new { p.ProductId, p.Position });
        builder.HasOne<Product>().WithMany().HasForeignKey(p => p.ProductId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StoredImage>().WithMany().HasForeignKey(p => p.ImageId).OnDelete(DeleteBehavior.Restrict);
    }
}
