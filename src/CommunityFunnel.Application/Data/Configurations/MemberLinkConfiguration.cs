using CommunityFunnel.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class MemberLinkConfiguration : IEntityTypeConfiguration<MemberLink>
{
    public void Configure(EntityTypeBuilder<MemberLink> builder)
    {
        builder.ToTable("member_links");
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasIndex(l => l.MemberId).HasFilter("used_at IS NULL AND revoked_at IS NULL"); // revoking walks only live links
        builder.Property(l => l.CreatedBy).HasMaxLength(256);
        builder.HasOne<Member>().WithMany().HasForeignKey(l => l.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}
