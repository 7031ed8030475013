using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class GroupMembershipConfiguration : IEntityTypeConfiguration<GroupMembership>
{
    public void Configure(EntityTypeBuilder<GroupMembership> builder)
    {
        builder.ToTable("group_memberships");
        builder.HasKey(m => new { m.GroupId, m.MemberId });
        builder.Property(m => m.Notes).HasMaxLength(GroupMembership.NotesMaxLength);
        builder.HasIndex(m => m.MemberId);
        builder.HasIndex(m => new { m.GroupId, m.JoinedAt, m.MemberId }); // the grid's "newest first" page, straight from the index
        builder.HasOne<Group>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Member>().WithMany().HasForeignKey(m => m.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}
