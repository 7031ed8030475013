using CommunityFunnel.Application.SignIn;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class SignInCodeConfiguration : IEntityTypeConfiguration<SignInCode>
{
    public void Configure(EntityTypeBuilder<SignInCode> builder)
    {
        builder.ToTable("sign_in_codes");
        builder.HasKey(c => c.PhoneHash); // one code per phone: each new code replaces the last in one conditional UPDATE
        builder.Ignore(c => c.Intent);
        builder.Ignore(c => c.NextSendAt);
        builder.HasOne<Member>().WithMany().HasForeignKey(c => c.MemberId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Group>().WithMany().HasForeignKey(c => c.JoinGroupId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class RateCounterConfiguration : IEntityTypeConfiguration<RateCounter>
{
    public void Configure(EntityTypeBuilder<RateCounter> builder)
    {
        builder.ToTable("rate_counters");
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(RateCounter.KeyMaxLength);
    }
}
