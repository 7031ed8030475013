using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Data.Configurations;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Application.Sharing;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Pricing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommunityFunnel.Application.Orders;

/// <summary>
/// Records orders and moves them through payment, refund and cancellation, applying the funnel rule as it goes.
/// Every change runs in one transaction guarded by row versions: a retried or concurrent "pay" promotes once.
/// </summary>
public sealed class OrderService(IDbContextFactory<CommunityFunnelDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxPageSize = 200;
    private const int MaxAttempts = 5;

    public async Task<Result<OrderView>> RecordAsync(Actor actor, OrderInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, input.GroupId, ct);
        if (found.Value is not { } group)
        {
            return found.Failure!;
        }

        var errors = new List<RuleViolation>();
        if (group.IsArchived)
        {
            errors.Add(new RuleViolation("group_archived", "The group is archived.", "groupId"));
        }

        var member = await db.Members.AsNoTracking().Where(m => m.Id == input.MemberId).Select(m => new { m.Id }).SingleOrDefaultAsync(ct);
        if (member is null)
        {
            errors.Add(new RuleViolation("unknown_member", "No such member.", "memberId"));
        }
        else if (!await db.GroupMemberships.AnyAsync(gm => gm.GroupId == group.Id && gm.MemberId == member.Id, ct))
        {
            errors.Add(new RuleViolation("not_in_group", "The member does not belong to this group.", "memberId"));
        }

        var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == input.ProductId, ct);
        errors.AddIfAny(ProductOffer.Problem(product, group));

        if (input.Quantity is < 1 or > Order.MaxQuantity)
        {
            errors.Add(new RuleViolation("invalid_quantity", $"Quantity must be between 1 and {Order.MaxQuantity}.", "quantity"));
        }

        var unitPrice = input.UnitPrice ?? product?.Price ?? 0;
        if (unitPrice <= 0)
        {
            errors.Add(new RuleViolation("price_not_positive", "Unit price must be greater than zero.", "unitPrice"));
        }
        else if (unitPrice > TierLadder.MaxPrice || decimal.Round(unitPrice, 2) != unitPrice)
        {
            errors.Add(new RuleViolation("invalid_price", $"Unit price must have at most two decimals and be at most {TierLadder.MaxPrice:N0}.", "unitPrice"));
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        var order = new Order(member!.Id, group.Id, product!.Id, product.Tier, input.Quantity, unitPrice, product.Currency, clock.GetUtcNow());
        db.Orders.Add(order);
        await db.SaveChangesAsync(ct);
        return (await LoadViewAsync(db, order.Id, ct))!;
    }

    public Task<Result<OrderView>> PayAsync(Actor actor, Guid orderId, CancellationToken ct) =>
        ChangeAsync(actor, orderId, PayInTransactionAsync, ct);

    public Task<Result<OrderView>> RefundAsync(Actor actor, Guid orderId, CancellationToken ct) =>
        RefundAsync(actor, orderId, RefundRequest.Everything, ct);

    public Task<Result<OrderView>> RefundAsync(Actor actor, Guid orderId, RefundRequest request, CancellationToken ct) =>
        ChangeAsync(actor, orderId, new Refunding(request, new RefundOrigin(actor.Name)).InTransactionAsync, ct);

    /// <summary>
    /// A refund the client may retry: the same <paramref name="idempotencyKey"/> with the same request on the same order
    /// repeats the first answer and refunds nothing more; with another request or order it is refused and nothing changes.
    /// </summary>
    public async Task<Result<RefundReceipt>> RefundAsync(Actor actor, Guid orderId, RefundRequest request, string? idempotencyKey, CancellationToken ct)
    {
        if (IdempotencyKeys.Problem(idempotencyKey) is { } invalidKey)
        {
            return invalidKey;
        }

        var refunding = new Refunding(request, new RefundOrigin(actor.Name, idempotencyKey));
        var refunded = await ChangeAsync(actor, orderId, refunding.InTransactionAsync, ct);
        return refunded.Value is { } order ? new RefundReceipt(order, refunding.Replayed) : refunded.Failure!;
    }

    public Task<Result<OrderView>> CancelAsync(Actor actor, Guid orderId, CancellationToken ct) =>
        ChangeAsync(actor, orderId, CancelInTransactionAsync, ct);

    public async Task<Result<OrderView>> GetAsync(Actor actor, Guid orderId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await LoadViewAsync(db, orderId, ct);
        if (view is null)
        {
            return Failure.NotFound("The order");
        }

        return await db.CanAccessGroupAsync(actor, view.GroupId, ct) ? view : Failure.Forbidden("this order");
    }

    public async Task<Result<Page<OrderView>>> ListForGroupAsync(Actor actor, Guid groupId, int pageIndex, int pageSize, CancellationToken ct)
    {
        var paging = PageRequest.Create(pageIndex, pageSize, MaxPageSize);
        if (paging.Failure is { } pagingFailure)
        {
            return pagingFailure;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var orders = db.Orders.Where(o => o.GroupId == groupId);
        var total = await orders.CountAsync(ct);
        var page = orders.OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id).Skip(paging.Value.Offset).Take(paging.Value.Size);
        var items = await ViewsAsync(db, page, ct);
        return new Page<OrderView>([.. items.OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id)], total);
    }

    /// <summary>
    /// Orders in the groups the actor runs, optionally of one group, member or status, in creation order, a page at a
    /// time (for integrations). A member the actor cannot see simply has no orders here.
    /// </summary>
    public async Task<Result<CursorPage<OrderView>>> ListPageAsync(Actor actor, OrderFilter filter, string? cursor, int? limit, CancellationToken ct)
    {
        var request = Cursor.ReadIdPage("orders", cursor, limit);
        if (request.Failure is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (filter.GroupId is { } groupId && await db.FindGroupForAsync(actor, groupId, ct) is { Failure: { } failure })
        {
            return failure;
        }

        var orders = Filtered(db, actor, filter);
        if (request.Value.After is { } after)
        {
            orders = orders.Where(o => o.Id.CompareTo(after) > 0);
        }

        var rows = await ViewsAsync(db, orders.OrderBy(o => o.Id).Take(request.Value.Limit + 1), ct);
        return Cursor.PageById("orders", [.. rows.OrderBy(o => o.Id)], request.Value.Limit, o => o.Id);
    }

    /// <summary>Orders across the groups the actor runs, filtered, newest first, a page at a time (the back office's order list).</summary>
    public async Task<Result<Page<OrderView>>> ListAsync(Actor actor, OrderFilter filter, int pageIndex, int pageSize, CancellationToken ct)
    {
        var paging = PageRequest.Create(pageIndex, pageSize, MaxPageSize);
        if (paging.Failure is { } pagingFailure)
        {
            return pagingFailure;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (filter.GroupId is { } groupId && await db.FindGroupForAsync(actor, groupId, ct) is { Failure: { } failure })
        {
            return failure;
        }

        var orders = Filtered(db, actor, filter);
        var total = await orders.CountAsync(ct);
        var page = orders.OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id).Skip(paging.Value.Offset).Take(paging.Value.Size);
        var items = await ViewsAsync(db, page, ct);
        return new Page<OrderView>([.. items.OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id)], total);
    }

    /// <summary>
    /// Marks each order paid in its own transaction, as <see cref="PayAsync"/> would one by one: one refusal (a
    /// cancelled order, another operator's group) does not hold back the rest, and a repeated batch changes nothing.
    /// </summary>
    public async Task<IReadOnlyList<BulkPayment>> PayManyAsync(Actor actor, IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        var results = new List<BulkPayment>(orderIds.Count);
        foreach (var orderId in orderIds.Distinct())
        {
            var paid = await PayAsync(actor, orderId, ct);
            results.Add(new BulkPayment(orderId, paid.Value, paid.Failure));
        }

        return results;
    }

    /// <summary>A group-buy's orders: after settlement, each shows the final price, or Voided.</summary>
    public async Task<Result<IReadOnlyList<OrderView>>> ListForGroupBuyAsync(Actor actor, Guid groupBuyId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.GroupBuyAccessFailureAsync(actor, groupBuyId, ct) is { } failure)
        {
            return failure;
        }

        var orders = await ViewsAsync(db, db.Orders.Where(o => o.GroupBuyId == groupBuyId), ct);
        return orders.OrderBy(o => o.CreatedAt).ToList();
    }

    /// <summary>One change inside the transaction: its outcome, or a failure that explains a refusal the order alone cannot.</summary>
    private delegate Task<Result<OrderChangeOutcome>> OrderChange(CommunityFunnelDbContext db, Actor actor, Order order, DateTimeOffset now, CancellationToken ct);

    private async Task<Result<OrderView>> ChangeAsync(Actor actor, Guid orderId, OrderChange change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.Database.AutoSavepointsEnabled = false; // a failed save abandons the whole attempt, never resumes the transaction
            var found = await db.FindInGroupForAsync(actor, db.Orders.Where(o => o.Id == orderId), o => o.GroupId, "order", ct);
            if (found.Value is not { } order)
            {
                return found.Failure!;
            }

            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var changed = await change(db, actor, order, clock.GetUtcNow(), ct);
                if (changed.Failure is { } refused)
                {
                    return refused;
                }

                if (changed.Value == OrderChangeOutcome.NotAllowed)
                {
                    return Failure.Conflict("invalid_order_state", $"The order is {order.Status}; that change is not possible now.");
                }

                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return (await LoadViewAsync(db, orderId, ct))!;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // Someone paid, refunded or moved the same order or member at the same moment: re-read and decide again.
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts
                && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: OrderRefundConfiguration.IdempotencyKeyIndex })
            {
                // The same key raced itself: the other request's refund is saved now, and the next attempt finds it.
            }
        }
    }

    private static async Task<Result<OrderChangeOutcome>> PayInTransactionAsync(
        CommunityFunnelDbContext db, Actor actor, Order order, DateTimeOffset now, CancellationToken ct)
    {
        if (order.GroupBuyId is { } groupBuyId && order.Status == OrderStatus.Pending
            && !await db.GroupBuys.AnyAsync(g => g.Id == groupBuyId && g.SettledAt != null, ct))
        {
            // Its final price is known only when the group-buy closes.
            return Failure.Conflict("group_buy_not_settled", "A group-buy order is paid after the group-buy closes, at its final price.");
        }

        var outcome = order.MarkPaid(now);
        if (outcome != OrderChangeOutcome.Changed)
        {
            return outcome;
        }

        var member = await db.Members.SingleAsync(m => m.Id == order.MemberId, ct);
        var from = member.Stage;
        if (member.RecordPurchase(order.Tier, order.Id, now) == StageChangeOutcome.Moved)
        {
            db.Audit(now, AuditCategory.Stage, actor, "member.stage", member.DisplayName, $"{from} -> {member.Stage}: order {order.Id} paid");
        }

        return outcome; // saving the order hands OrderPaid to the rebate ledger and the sharing rule, in this transaction
    }

    /// <summary>
    /// An unpaid flash-sale order gives its units back in the same transaction, so they return exactly once. A
    /// group-buy order is cancelled under the lock settlement takes on the group-buy row, so the cancel is either
    /// counted by the settlement or refused after it: once settled, its orders change only by payment and refund.
    /// </summary>
    private static async Task<Result<OrderChangeOutcome>> CancelInTransactionAsync(
        CommunityFunnelDbContext db, Actor actor, Order order, DateTimeOffset now, CancellationToken ct)
    {
        if (order.GroupBuyId is { } groupBuyId)
        {
            var groupBuy = await db.GroupBuys.FromSql($"SELECT * FROM funnel.group_buys WHERE id = {groupBuyId} FOR UPDATE").AsNoTracking().SingleAsync(ct);
            if (groupBuy.SettledAt is not null && order.Status != OrderStatus.Cancelled)
            {
                return Failure.Conflict("group_buy_settled",
                    "The group-buy has been settled: its orders can no longer be cancelled. Refund the order once paid instead.");
            }
        }

        var outcome = order.Cancel(now);
        if (outcome == OrderChangeOutcome.Changed && order.FlashSaleId is { } saleId)
        {
            await db.SaveChangesAsync(ct); // the order row first: the same lock order as a claim and the expiry sweep
            await db.Database.ExecuteSqlAsync($"SELECT funnel.return_flash_units({saleId}, {order.MemberId}, {order.Quantity})", ct);
        }

        return outcome;
    }

    /// <summary>
    /// One refund request, across the attempts <see cref="ChangeAsync"/> may make. It refunds all that is left, or part
    /// of it (by amount or by units). Only a full refund undoes the stage the order gave; saving hands OrderRefunded to the
    /// rebate ledger (clawback) and the sharing rule in this transaction. With a key, the order's transaction first looks
    /// for the refund that key made; two requests with one key at once both miss it, the unique index on the key lets
    /// one of them save, and the other's next attempt finds that refund.
    /// </summary>
    private sealed class Refunding(RefundRequest request, RefundOrigin origin)
    {
        /// <summary>The key found its earlier refund: that answer is repeated, nothing more is refunded.</summary>
        public bool Replayed { get; private set; }

        public async Task<Result<OrderChangeOutcome>> InTransactionAsync(CommunityFunnelDbContext db, Actor actor, Order order, DateTimeOffset now, CancellationToken ct)
        {
            if (origin.IdempotencyKey is { } key
                && await db.OrderRefunds.Where(r => r.IdempotencyKey == key).Select(r => new { r.OrderId, r.Basis, r.Amount, r.Quantity }).SingleOrDefaultAsync(ct) is { } earlier)
            {
                if (earlier.OrderId != order.Id || !request.AskedFor(earlier.Basis, earlier.Amount, earlier.Quantity))
                {
                    return IdempotencyKeys.Reused("another refund");
                }

                Replayed = true;
                return OrderChangeOutcome.AlreadyDone;
            }

            if (order.Status == OrderStatus.Paid && RefundProblem(order, request) is { } problem)
            {
                return problem;
            }

            var outcome = request switch
            {
                { Amount: { } amount } => order.RefundAmount(amount, now, origin),
                { Quantity: { } quantity } => order.RefundUnits(quantity, now, origin),
                _ => order.Refund(now, origin),
            };
            if (outcome != OrderChangeOutcome.Changed || order.Status != OrderStatus.Refunded)
            {
                return outcome;
            }

            await db.SaveChangesAsync(ct); // the order first: the paid orders counted below no longer include it
            var member = await db.Members.SingleAsync(m => m.Id == order.MemberId, ct);
            var from = member.Stage;
            if (member.ReverseOrder(order.Id, await SharingStage.HighestPaidTierAsync(db, order.MemberId, ct), now) == StageChangeOutcome.Moved)
            {
                db.Audit(now, AuditCategory.Stage, actor, "member.stage", member.DisplayName, $"{from} -> {member.Stage}: order {order.Id} refunded");
            }

            return outcome;
        }
    }

    private static Failure? RefundProblem(Order order, RefundRequest request)
    {
        if (request is { Amount: not null, Quantity: not null })
        {
            return Failure.Invalid("amount_or_quantity", "Refund by amount or by units, not both.", "amount");
        }

        if (request.Amount is { } amount && (amount <= 0 || decimal.Round(amount, 2) != amount))
        {
            return Failure.Invalid("invalid_refund_amount", "The refund amount must be more than zero, with at most two decimals.", "amount");
        }

        if (request.Amount > order.RefundableAmount)
        {
            return Failure.Invalid("refund_exceeds_paid", $"At most {order.RefundableAmount:0.##} {order.Currency} can still be refunded.", "amount");
        }

        if (request.Quantity is { } units && units <= 0)
        {
            return Failure.Invalid("invalid_refund_quantity", "The number of units to refund must be at least 1.", "quantity");
        }

        if (request.Quantity > order.RefundableUnits)
        {
            return Failure.Invalid("refund_exceeds_paid", $"At most {order.RefundableUnits} units can still be refunded.", "quantity");
        }

        return null;
    }

    private static IQueryable<Order> Filtered(CommunityFunnelDbContext db, Actor actor, OrderFilter filter)
    {
        var visible = db.VisibleGroupIds(actor);
        var orders = db.Orders.Where(o => visible.Contains(o.GroupId)
            && (filter.GroupId == null || o.GroupId == filter.GroupId)
            && (filter.MemberId == null || o.MemberId == filter.MemberId)
            && (filter.Status == null || o.Status == filter.Status)
            && (filter.SaleId == null || o.FlashSaleId == filter.SaleId || o.GroupBuyId == filter.SaleId)
            && (filter.From == null || o.CreatedAt >= filter.From)
            && (filter.Until == null || o.CreatedAt < filter.Until));
        if (filter.PaymentReported)
        {
            orders = orders.Where(o => o.Status == OrderStatus.Pending && o.PaymentReportedAt != null);
        }

        if (filter.Search?.Trim() is { Length: > 0 } search)
        {
            var pattern = $"%{Like.Escape(search)}%";
            var digits = new string([.. search.Where(char.IsAsciiDigit)]);
            var reference = search.Length == PaymentReferences.Length ? search.ToLowerInvariant() : null;
            orders = orders.Where(o => db.Members.Any(m => m.Id == o.MemberId
                    && (EF.Functions.ILike(m.DisplayName, pattern, Like.EscapeCharacter) || (digits.Length >= 4 && m.Phone != null && m.Phone.Contains(digits))))
                || (reference != null && o.Id.ToString().EndsWith(reference)));
        }

        return orders;
    }

    /// <summary>Filter, sort and page <paramref name="orders"/> first: a record built in SQL cannot be filtered afterwards.</summary>
    private static IQueryable<OrderView> Views(CommunityFunnelDbContext db, IQueryable<Order> orders) =>
        from o in orders
        join m in db.Members on o.MemberId equals m.Id
        join p in db.Products on o.ProductId equals p.Id
        select new OrderView(o.Id, o.MemberId, m.DisplayName, o.GroupId, o.ProductId, p.Name, o.Tier, o.Quantity, o.UnitPrice,
            o.UnitPrice * o.Quantity, o.Currency, o.Status, o.CreatedAt, o.PaidAt, o.RefundedAt, o.CancelledAt, m.Stage,
            o.PaymentDueAt, o.FlashSaleId, o.GroupBuyId, db.GroupBuys.Any(g => g.Id == o.GroupBuyId && g.SettledAt == null), o.PaymentReportedAt,
            o.RefundedAmount, o.RefundedQuantity, Array.Empty<OrderRefundView>());

    /// <summary>The views of <paramref name="orders"/> (filtered, sorted and paged already), each with its refunds, in two queries.</summary>
    private static async Task<List<OrderView>> ViewsAsync(CommunityFunnelDbContext db, IQueryable<Order> orders, CancellationToken ct)
    {
        var views = await Views(db, orders).AsNoTracking().ToListAsync(ct);
        var ids = views.Where(v => v.RefundedAmount > 0).Select(v => v.Id).ToList();
        var refunds = ids.Count == 0 ? [] : await db.OrderRefunds.AsNoTracking()
            .Where(r => ids.Contains(r.OrderId))
            .OrderBy(r => r.RefundedAt).ThenBy(r => r.Id)
            .Select(r => new { r.OrderId, View = new OrderRefundView(r.Id, r.Amount, r.Quantity, r.RefundedAt, r.RefundedBy) })
            .ToListAsync(ct);
        var byOrder = refunds.ToLookup(r => r.OrderId, r => r.View);
        return [.. views.Select(v => byOrder.Contains(v.Id) ? v with { Refunds = [.. byOrder[v.Id]] } : v)];
    }

    private static async Task<OrderView?> LoadViewAsync(CommunityFunnelDbContext db, Guid orderId, CancellationToken ct) =>
        (await ViewsAsync(db, db.Orders.Where(o => o.Id == orderId), ct)).SingleOrDefault();
}
