using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.RedEnvelopes;
using CommunityFunnel.Domain.Wallet;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class RedEnvelopeRainConfiguration : IEntityTypeConfiguration<RedEnvelopeRain>
{
    public void Configure(EntityTypeBuilder<RedEnvelopeRain> builder)
    {
        builder.ToTable("red_envelope_rains");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.PayoutKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.CouponMinOrder).HasPrecision(12, 2);
        builder.Property(r => r.CreatedBy).HasMaxLength(256);
        builder.Ignore(r => r.EndsAt);
    }
}

internal sealed class RedEnvelopeWaveConfiguration : IEntityTypeConfiguration<RedEnvelopeWave>
{
    public void Configure(EntityTypeBuilder<RedEnvelopeWave> builder)
    {
        builder.ToTable("red_envelope_waves");
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(w => w.Budget).HasPrecision(12, 2);
        builder.HasOne<RedEnvelopeRain>().WithMany().HasForeignKey(w => w.RainId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Group>().WithMany().HasForeignKey(w => w.GroupId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(w => new { w.GroupId, w.OpensAt });
        builder.HasMany(w => w.Packets).WithOne().HasForeignKey(p => p.WaveId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RedEnvelopePacketConfiguration : IEntityTypeConfiguration<RedEnvelopePacket>
{
    public void Configure(EntityTypeBuilder<RedEnvelopePacket> builder)
    {
        builder.ToTable("red_envelope_packets", t => t.HasCheckConstraint("ck_red_envelope_packets_amount", "amount > 0"));
        builder.HasKey(p => new { p.WaveId, p.Position });
        builder.Property(p => p.Amount).HasPrecision(12, 2);
        builder.HasIndex(p => new { p.WaveId, p.ClaimedBy }).IsUnique(); // one packet per member per wave; NULLs (unclaimed) are distinct
        builder.HasOne<Member>().WithMany().HasForeignKey(p => p.ClaimedBy).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CreditEntryConfiguration : IEntityTypeConfiguration<CreditEntry>
{
    public void Configure(EntityTypeBuilder<CreditEntry> builder)
    {
        builder.ToTable("credit_entries", t => t.HasCheckConstraint("ck_credit_entries_amount", "amount <> 0"));
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Sequence).UseIdentityAlwaysColumn();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(e => e.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(e => e.Amount).HasPrecision(12, 2);
        builder.HasIndex(e => new { e.Kind, e.SourceId, e.MemberId }).IsUnique(); // each credit once, whatever retries
        builder.HasIndex(e => new { e.MemberId, e.Currency });
        builder.HasOne<Member>().WithMany().HasForeignKey(e => e.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CouponConfiguration : IEntityTypeConfiguration<Coupon>
{
    public void Configure(EntityTypeBuilder<Coupon> builder)
    {
        builder.ToTable("coupons", t => t.HasCheckConstraint("ck_coupons_amount_off", "amount_off > 0"));
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(c => c.AmountOff).HasPrecision(12, 2);
        builder.Property(c => c.MinOrder).HasPrecision(12, 2);
        builder.HasIndex(c => new { c.SourceId, c.MemberId }).IsUnique(); // one coupon per member per wave
        builder.HasIndex(c => c.MemberId);
        builder.HasOne<Member>().WithMany().HasForeignKey(c => c.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
