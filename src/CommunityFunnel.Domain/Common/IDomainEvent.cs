namespace CommunityFunnel.Domain.Common;

/// <summary>Something that happened to an entity, recorded by the entity and saved with it; it knows nothing about who cares.</summary>
public interface IDomainEvent
{
    DateTimeOffset OccurredAt { get; }
}
