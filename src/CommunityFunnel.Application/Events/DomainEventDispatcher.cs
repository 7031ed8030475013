using System.Collections.Concurrent;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Application.Events;

/// <summary>
/// Queues the published events in the outbox and hands each saved event to its in-transaction handlers, in
/// registration order. Called by <see cref="CommunityFunnelDbContext.SaveChangesAsync(bool, CancellationToken)"/>; no mediator library.
/// </summary>
public sealed class DomainEventDispatcher(IServiceProvider services)
{
    private static readonly ConcurrentDictionary<Type, HandlersOf> HandlersByEventType = new();

    /// <summary>Before the save that writes the entity raising the event, so its outbox row goes in the same round trip.</summary>
    public static void QueueInOutbox(CommunityFunnelDbContext db, IDomainEvent domainEvent)
    {
        if (PublishedEvents.ToOutbox(domainEvent) is { } message)
        {
            db.OutboxMessages.Add(message);
        }
    }

    /// <summary>After that save: each handler sees what raised the event as saved.</summary>
    public Task HandleAsync(CommunityFunnelDbContext db, IDomainEvent domainEvent, CancellationToken ct) =>
        HandlersByEventType.GetOrAdd(domainEvent.GetType(), static type => (HandlersOf)Activator.CreateInstance(typeof(HandlersOf<>).MakeGenericType(type))!)
            .HandleAsync(services, db, domainEvent, ct);

    /// <summary>Resolves and calls the handlers of one event type without reflection on every event.</summary>
    private abstract class HandlersOf
    {
        public abstract Task HandleAsync(IServiceProvider services, CommunityFunnelDbContext db, IDomainEvent domainEvent, CancellationToken ct);
    }

    private sealed class HandlersOf<TEvent> : HandlersOf
        where TEvent : IDomainEvent
    {
        public override async Task HandleAsync(IServiceProvider services, CommunityFunnelDbContext db, IDomainEvent domainEvent, CancellationToken ct)
        {
            foreach (var handler in services.GetServices<IHandles<TEvent>>())
            {
                await handler.HandleAsync(db, (TEvent)domainEvent, ct);
            }
        }
    }
}
