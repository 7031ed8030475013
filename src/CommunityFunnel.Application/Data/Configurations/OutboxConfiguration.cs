using CommunityFunnel.Application.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class OutboxConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Type).HasMaxLength(64);
        builder.Property(m => m.Payload).HasColumnType("jsonb");
        builder.HasIndex(m => m.Id).HasDatabaseName("ix_outbox_messages_waiting").HasFilter("relayed_at IS NULL"); // the relay's queue
        builder.HasIndex(m => m.RelayedAt).HasFilter("relayed_at IS NOT NULL"); // housekeeping
    }
}
