using CommunityFunnel.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> builder)
    {
        builder.ToTable("members");
        builder.Property(m => m.DisplayName).HasMaxLength(Member.DisplayNameMaxLength);
        builder.Property(m => m.Phone).HasMaxLength(16);
        builder.Property(m => m.ExternalId).HasMaxLength(100);
        builder.Property(m => m.Stage).HasConversion<string>().HasMaxLength(16); // adding a stage needs no ALTER TYPE
        builder.Property(m => m.ReferralCode).HasMaxLength(16).HasDefaultValueSql(RandomCodes.Sql);
        builder.HasIndex(m => m.ReferralCode).IsUnique();
        builder.Property(m => m.Version).IsRowVersion();
        builder.Property(m => m.SessionStamp).HasDefaultValueSql("gen_random_uuid()"); // rows written by COPY get one too

        // A person is one member merchant-wide: unique by phone, and by platform id, whenever given.
        builder.HasIndex(m => m.Phone).IsUnique().HasFilter("phone IS NOT NULL");
        builder.HasIndex(m => m.ExternalId).IsUnique().HasFilter("external_id IS NOT NULL");
        builder.HasIndex(m => m.TelegramUserId).IsUnique().HasFilter("telegram_user_id IS NOT NULL");
        builder.HasIndex(m => m.Stage);
        builder.HasIndex(m => m.ReferrerId);
        builder.HasIndex(m => m.DisplayName, "ix_members_display_name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        builder.HasIndex(m => m.Phone, "ix_members_phone_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        builder.HasOne<Member>().WithMany().HasForeignKey(m => m.ReferrerId).OnDelete(DeleteBehavior.SetNull);

        builder.OwnsMany(m => m.Transitions, t =>
        {
            t.ToTable("member_stage_transitions");
            t.WithOwner().HasForeignKey("MemberId");
            t.Property<long>("Id").UseIdentityAlwaysColumn();
            t.HasKey("Id");
            t.Property(x => x.From).HasConversion<string>().HasMaxLength(16);
            t.Property(x => x.To).HasConversion<string>().HasMaxLength(16);
            t.Property(x => x.Reason).HasMaxLength(200);
            t.Property(x => x.ChangedBy).HasMaxLength(256);
            t.HasIndex(x => x.OrderId);
            t.HasOne<Domain.Groups.Group>().WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Navigation(m => m.Transitions).HasField("_transitions");
    }
}
