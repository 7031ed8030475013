using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Media;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> builder)
    {
        builder.ToTable("groups");
        builder.Property(g => g.Name).HasMaxLength(Group.NameMaxLength);
        builder.Property(g => g.Platform).HasConversion<string>().HasMaxLength(16);
        builder.Property(g => g.TimeZoneId).HasMaxLength(64);
        builder.Property(g => g.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(g => g.AudienceNotes).HasMaxLength(Group.AudienceNotesMaxLength);
        builder.Property(g => g.HostContact).HasMaxLength(Group.HostContactMaxLength);
        builder.Property(g => g.Language).HasMaxLength(16);
        builder.Property(g => g.Country).HasMaxLength(2);
        builder.Property(g => g.PaymentInstructions).HasMaxLength(Group.PaymentInstructionsMaxLength).HasDefaultValue("");
        builder.HasOne<StoredImage>().WithMany().HasForeignKey(g => g.PaymentQrImageId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(g => g.JoinCode).HasMaxLength(16).HasDefaultValueSql(RandomCodes.Sql);
        builder.HasIndex(g => g.JoinCode).IsUnique();
        builder.Property(g => g.Version).IsRowVersion();
        builder.HasIndex(g => g.Name).HasMethod("gin").HasOperators("gin_trgm_ops");
    }
}

internal sealed class RetiredJoinCodeConfiguration : IEntityTypeConfiguration<RetiredJoinCode>
{
    public void Configure(EntityTypeBuilder<RetiredJoinCode> builder)
    {
        builder.ToTable("retired_join_codes");
        builder.HasKey(c => c.Code);
        builder.Property(c => c.Code).HasMaxLength(16);
        builder.HasIndex(c => c.GroupId);
        builder.HasOne<Group>().WithMany().HasForeignKey(c => c.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}
