using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Portal;

/// <summary>
/// A member's own orders: what is due, by when, with which reference, and "I have paid", which puts the order in the
/// host's to-confirm queue. Only the session's member, in the session's groups, sees or reports an order.
/// </summary>
public sealed class MemberOrders(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    private const int MaxAttempts = 5;

    public async Task<MemberOrderDetails?> GetAsync(MemberScope session, Guid orderId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var details = await (
                from o in db.Orders
                join g in db.Groups on o.GroupId equals g.Id
                join p in db.Products on o.ProductId equals p.Id
                where o.Id == orderId && o.MemberId == session.MemberId && o.Status != OrderStatus.Voided && !g.IsArchived
                select new MemberOrderDetails(o.Id, o.GroupId, g.Name, g.TimeZoneId, g.Country, p.Name, o.Quantity, o.UnitPrice, o.Currency, o.Status,
                    o.CreatedAt, o.PaymentDueAt, o.PaymentReportedAt, o.FlashSaleId, o.GroupBuyId,
                    db.GroupBuys.Any(b => b.Id == o.GroupBuyId && b.SettledAt == null), o.RefundedAmount,
                    db.OrderRefunds.Where(r => r.OrderId == o.Id).OrderBy(r => r.RefundedAt).ThenBy(r => r.Id)
                        .Select(r => new MemberRefund(r.Amount, r.Quantity, r.RefundedAt)).ToList()))
            .AsNoTracking()
            .SingleOrDefaultAsync(ct);
        return details is not null && session.Allows(details.GroupId) ? details : null;
    }

    /// <summary>
    /// The member says they paid. Repeating it changes nothing; an order that is not awaiting payment (paid, expired,
    /// cancelled, a group-buy before its close) is refused with the reason. Races with the expiry sweep and with the
    /// host's "mark paid" are settled by the order's row version.
    /// </summary>
    public async Task<Result<MemberOrderDetails>> ReportPaidAsync(MemberScope session, Guid orderId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await GetAsync(session, orderId, ct) is not { } details)
            {
                return Failure.NotFound("The order");
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var order = await db.Orders.SingleAsync(o => o.Id == orderId, ct);
            var now = clock.GetUtcNow();
            var outcome = order.ReportPaid(now, priceIsFinal: !details.AwaitsGroupBuyClose);
            if (outcome == OrderChangeOutcome.NotAllowed)
            {
                return details.AwaitsGroupBuyClose
                    ? Failure.Conflict("group_buy_not_settled", "A group-buy order is paid after the group-buy closes, at its final price.")
                    : Failure.Conflict("invalid_order_state", $"The order is {order.Status}; it is not awaiting payment.");
            }

            if (outcome == OrderChangeOutcome.AlreadyDone)
            {
                return details;
            }

            db.Audit(now, AuditCategory.Sales, Actor.System, "order.payment_reported", details.GroupName,
                $"The member reported paying {details.Total} {details.Currency} for order {order.PaymentReference}.");
            try
            {
                await db.SaveChangesAsync(ct);
                return (await GetAsync(session, orderId, ct))!;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // Expired, paid or cancelled at this very moment: read it again and answer for its new state.
            }
        }
    }
}
