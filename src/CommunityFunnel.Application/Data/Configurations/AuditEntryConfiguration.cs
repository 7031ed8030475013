using CommunityFunnel.Application.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Category).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.Subject).HasMaxLength(256);
        builder.Property(e => e.Details).HasMaxLength(2000);
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => new { e.Category, e.At });
    }
}
