using System.Collections.Concurrent;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Application.Events;

/// <summary>
/// Hands each saved event to its in-transaction handlers, in registration order, and queues the published ones in the
/// outbox. Called by <see cref="CommunityFunnelDbContext.SaveChangesAsync(bool, CancellationToken)"/>; no mediator library.
/// </summary>
public sealed class DomainEventDispatcher(IServiceProvider services)
{
    private static readonly ConcurrentDictionary<Type, HandlersOf> HandlersByEventType = new();

    public async Task DispatchAsync(CommunityFunnelDbContext db, IDomainEvent domainEvent, CancellationToken ct)
    {
        var handlers = HandlersByEventType.GetOrAdd(domainEvent.GetType(),
            static type => (HandlersOf)Activator.CreateInstance(typeof(HandlersOf<>).MakeGenericType(type))!);
        await handlers.HandleAsync(services, db, domainEvent, ct);
        if (PublishedEvents.ToOutbox(domainEvent) is { } message)
        {
            db.OutboxMessages.Add(message);
        }
    }

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
