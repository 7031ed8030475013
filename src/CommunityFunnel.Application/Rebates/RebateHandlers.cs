using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Referrals;
using CommunityFunnel.Domain.Orders;

namespace CommunityFunnel.Application.Rebates;

internal sealed class CreditRebatesWhenReferredOrderPaid : IHandles<ReferredOrderPaid>
{
    public Task HandleAsync(CommunityFunnelDbContext db, ReferredOrderPaid domainEvent, CancellationToken ct)
    {
        RebateLedger.Credit(db, domainEvent);
        return Task.CompletedTask;
    }
}

internal sealed class ClawBackRebatesWhenOrderRefunded : IHandles<OrderRefunded>
{
    public Task HandleAsync(CommunityFunnelDbContext db, OrderRefunded domainEvent, CancellationToken ct) => RebateLedger.ClawBackAsync(db, domainEvent, ct);
}
