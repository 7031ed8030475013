using CommunityFunnel.Domain.Media;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class StoredImageConfiguration : IEntityTypeConfiguration<StoredImage>
{
    public void Configure(EntityTypeBuilder<StoredImage> builder)
    {
        builder.ToTable("images");
        builder.Property(i => i.Token).HasMaxLength(32);
        builder.HasIndex(i => i.Token).IsUnique();
        builder.Property(i => i.ContentType).HasMaxLength(32);
    }
}
