namespace CommunityFunnel.Domain.Common;

/// <summary>
/// An entity that records what happened to it. Saving the entity hands the events to their handlers in the same
/// transaction, and to the outbox for whatever reacts afterwards.
/// </summary>
public abstract class EventSource
{
    private List<IDomainEvent>? _events;

    /// <summary>The events raised since the last save, handed over once: a second call returns none.</summary>
    public IReadOnlyList<IDomainEvent> TakeEvents()
    {
        var taken = _events ?? [];
        _events = null;
        return taken;
    }

    public bool HasPendingEvents() => _events is { Count: > 0 };

    protected void Raise(IDomainEvent domainEvent) => (_events ??= []).Add(domainEvent);
}
