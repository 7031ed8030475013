using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Referrals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class ReferralConfiguration : IEntityTypeConfiguration<Referral>
{
    public void Configure(EntityTypeBuilder<Referral> builder)
    {
        builder.ToTable("referrals");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ClientAddress).HasMaxLength(64);
        builder.Property(r => r.DecidedBy).HasMaxLength(256);
        builder.Property(r => r.Version).IsRowVersion();
        builder.Ignore(r => r.Earns);
        // The record of who brought whom: one per referred member (refusals may repeat).
        builder.HasIndex(r => r.MemberId).IsUnique().HasFilter("status <> 'Refused'");
        builder.HasIndex(r => new { r.ReferrerId, r.CreatedAt });
        builder.HasIndex(r => new { r.GroupId, r.Status });
        builder.HasOne<Member>().WithMany().HasForeignKey(r => r.MemberId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Member>().WithMany().HasForeignKey(r => r.ReferrerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Group>().WithMany().HasForeignKey(r => r.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}
