using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Media;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommunityFunnel.Application.Data.Configurations;

internal sealed class ChannelConfiguration : IEntityTypeConfiguration<Channel>
{
    public void Configure(EntityTypeBuilder<Channel> builder)
    {
        builder.ToTable("channels");
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Name).HasMaxLength(Channel.NameMaxLength);
        builder.Property(c => c.Hint).HasMaxLength(64);
        builder.Property(c => c.ChatId).HasMaxLength(100);
        builder.HasIndex(c => c.GroupId);
        builder.HasOne<Group>().WithMany().HasForeignKey(c => c.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PostConfiguration : IEntityTypeConfiguration<Post>
{
    public void Configure(EntityTypeBuilder<Post> builder)
    {
        builder.ToTable("posts");
        builder.Property(p => p.Text).HasMaxLength(Post.MaxTextLength);
        builder.HasIndex(p => p.AnnouncementId);
        builder.HasIndex(p => p.DueAt);
        builder.HasOne<Group>().WithMany().HasForeignKey(p => p.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StoredImage>().WithMany().HasForeignKey(p => p.ImageId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.ToTable("deliveries");
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.LastResponse).HasMaxLength(1000);
        builder.HasIndex(d => new { d.PostId, d.ChannelId }).IsUnique(); // a post reaches a channel once
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasOne<Post>().WithMany().HasForeignKey(d => d.PostId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Channel>().WithMany().HasForeignKey(d => d.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        builder.ToTable("delivery_attempts");
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Outcome).HasMaxLength(20);
        builder.Property(a => a.Response).HasMaxLength(1000);
        builder.HasIndex(a => new { a.ChannelId, a.StartedAt }); // what the rate limiter counts
        builder.HasIndex(a => a.DeliveryId);
        builder.HasOne<Delivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FeedItemConfiguration : IEntityTypeConfiguration<FeedItem>
{
    public void Configure(EntityTypeBuilder<FeedItem> builder)
    {
        builder.ToTable("feed_items");
        builder.HasKey(f => f.PostId);
        builder.Property(f => f.Text).HasMaxLength(Post.MaxTextLength);
        builder.HasIndex(f => new { f.GroupId, f.PublishedAt });
        builder.HasOne<Post>().WithMany().HasForeignKey(f => f.PostId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SalesEventConfiguration : IEntityTypeConfiguration<SalesEvent>
{
    public void Configure(EntityTypeBuilder<SalesEvent> builder)
    {
        builder.ToTable("events");
        builder.Property(e => e.Title).HasMaxLength(SalesEvent.TitleMaxLength);
        builder.Property(e => e.Description).HasMaxLength(SalesEvent.DescriptionMaxLength);
        builder.Property(e => e.Link).HasMaxLength(500);
        builder.Property(e => e.StartsAt).HasMaxLength(40);
        builder.Property(e => e.EndsAt).HasMaxLength(40);
        builder.Property(e => e.Template).HasMaxLength(PostTemplate.MaxLength);
    }
}

internal sealed class EventOccurrenceConfiguration : IEntityTypeConfiguration<EventOccurrence>
{
    public void Configure(EntityTypeBuilder<EventOccurrence> builder)
    {
        builder.ToTable("event_occurrences");
        builder.HasKey(o => new { o.EventId, o.GroupId });
        builder.HasIndex(o => new { o.GroupId, o.StartsAt });
        builder.HasOne<SalesEvent>().WithMany().HasForeignKey(o => o.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Group>().WithMany().HasForeignKey(o => o.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}
