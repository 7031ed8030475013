using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Setup;
using CommunityFunnel.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class CompletedBackfillConfiguration : IEntityTypeConfiguration<CompletedBackfill>
{
    public void Configure(EntityTypeBuilder<CompletedBackfill> builder)
    {
        builder.ToTable("completed_backfills");
        builder.HasKey(b => b.Name);
        builder.Property(b => b.Name).HasMaxLength(64);
    }
}

internal sealed class PhoneFindingConfiguration : IEntityTypeConfiguration<PhoneFinding>
{
    public void Configure(EntityTypeBuilder<PhoneFinding> builder)
    {
        builder.ToTable("phone_findings");
        builder.HasKey(f => f.MemberId);
        builder.Property(f => f.StoredPhone).HasMaxLength(16);
        builder.Property(f => f.NormalizedPhone).HasMaxLength(16);
        builder.HasIndex(f => f.NormalizedPhone);
        builder.HasOne<Member>().WithOne().HasForeignKey<PhoneFinding>(f => f.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}
