using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Application.Events;

/// <summary>
/// A rule that must hold together with what happened: it runs inside the transaction that saves the event, sees
/// everything saved so far, and its changes are saved with it (or not at all). Register one small handler per reaction.
/// </summary>
public interface IHandles<in TEvent>
    where TEvent : IDomainEvent
{
    Task HandleAsync(CommunityFunnelDbContext db, TEvent domainEvent, CancellationToken ct);
}
