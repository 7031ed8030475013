using Npgsql;

namespace CommunityFunnel.Faults;

/// <summary>The rush's sales as PostgreSQL holds them, and the invariants that must hold whatever died mid-rush.</summary>
internal sealed class SalesLedger
{
    private sealed record Order(Guid Id, Guid Sale, Guid Member, int Quantity, string Status, string? IdempotencyKey);

    private sealed record Sale(Guid Id, int Stock, int Remaining, int PerMemberLimit);

    private readonly List<Order> _orders = [];
    private readonly List<Sale> _sales = [];
    private readonly Dictionary<(Guid Sale, Guid Member), int> _buyers = [];

    public static async Task<SalesLedger> ReadAsync(LocalPostgres postgres, IReadOnlyList<Guid> sales, CancellationToken ct)
    {
        var ledger = new SalesLedger();
        await using var connection = await postgres.OpenAsync(ct);
        var ids = sales.ToArray();
        await using (var orders = new NpgsqlCommand(
            "SELECT id, flash_sale_id, member_id, quantity, status, idempotency_key FROM funnel.orders WHERE flash_sale_id = ANY($1)", connection))
        {
            orders.Parameters.Add(new NpgsqlParameter { Value = ids });
            await using var reader = await orders.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ledger._orders.Add(new Order(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt32(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
        }

        await using (var saleRows = new NpgsqlCommand("SELECT id, stock, remaining, per_member_limit FROM funnel.flash_sales WHERE id = ANY($1)", connection))
        {
            saleRows.Parameters.Add(new NpgsqlParameter { Value = ids });
            await using var reader = await saleRows.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ledger._sales.Add(new Sale(reader.GetGuid(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
            }
        }

        await using (var buyers = new NpgsqlCommand("SELECT flash_sale_id, member_id, quantity FROM funnel.flash_sale_buyers WHERE flash_sale_id = ANY($1)", connection))
        {
            buyers.Parameters.Add(new NpgsqlParameter { Value = ids });
            await using var reader = await buyers.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ledger._buyers[(reader.GetGuid(0), reader.GetGuid(1))] = reader.GetInt32(2);
            }
        }

        return ledger;
    }

    public int Orders => _orders.Count;

    public int UnitsSold => LiveOrders.Sum(o => o.Quantity);

    private IEnumerable<Order> LiveOrders => _orders.Where(o => o.Status is "Pending" or "Paid");

    /// <summary>Orders committed whose 201 never reached the client (their instance died first): allowed, and counted.</summary>
    public int Unacknowledged(IReadOnlyCollection<Acknowledged> acknowledged)
    {
        var answered = acknowledged.Select(a => a.OrderId).ToHashSet();
        return _orders.Count(o => !answered.Contains(o.Id));
    }

    public void CheckInvariants(IReadOnlyCollection<Acknowledged> acknowledged, Findings findings)
    {
        var byId = _orders.ToDictionary(o => o.Id);
        var missing = acknowledged.Where(a => !byId.TryGetValue(a.OrderId, out var order) || order.Sale != a.Sale || order.Member != a.Member).ToList();
        findings.Check("every claim answered 201 is in the database (same order id, sale and member)", missing.Count == 0,
            $"{acknowledged.Count} acknowledged, {missing.Count} missing");

        var keysWithTwoOrders = acknowledged.GroupBy(a => a.IdempotencyKey).Count(g => g.Select(a => a.OrderId).Distinct().Count() > 1)
            + _orders.Where(o => o.IdempotencyKey is not null).GroupBy(o => (o.Sale, o.IdempotencyKey)).Count(g => g.Count() > 1);
        findings.Check("one order per press: a retried Idempotency-Key never placed a second order", keysWithTwoOrders == 0,
            $"{keysWithTwoOrders} keys with two orders");

        var live = LiveOrders.GroupBy(o => o.Sale).ToDictionary(g => g.Key, g => g.Sum(o => o.Quantity));
        var oversold = _sales.Where(s => live.GetValueOrDefault(s.Id) > s.Stock).ToList();
        findings.Check("stock never oversold (units in live orders <= stock, per sale)", oversold.Count == 0,
            $"{_sales.Count} sales, {UnitsSold} units sold of {_sales.Sum(s => s.Stock)}, {oversold.Count} oversold");

        var inconsistent = _sales.Where(s => s.Remaining != s.Stock - live.GetValueOrDefault(s.Id)).ToList();
        findings.Check("each sale's remaining = stock - units in its live orders", inconsistent.Count == 0,
            inconsistent.Count == 0 ? "all consistent" : string.Join("; ", inconsistent.Take(3).Select(s => $"stock {s.Stock}, remaining {s.Remaining}, live {live.GetValueOrDefault(s.Id)}")));

        var limits = _sales.ToDictionary(s => s.Id, s => s.PerMemberLimit);
        var perMember = LiveOrders.GroupBy(o => (o.Sale, o.Member)).ToDictionary(g => g.Key, g => g.Sum(o => o.Quantity));
        var overLimit = perMember.Count(p => p.Value > limits[p.Key.Sale]);
        findings.Check("per-member limits held", overLimit == 0, $"{perMember.Count} buyers, {overLimit} over their limit");

        var counterDrift = perMember.Count(p => _buyers.GetValueOrDefault(p.Key) != p.Value)
            + _buyers.Count(b => b.Value != perMember.GetValueOrDefault(b.Key));
        findings.Check("each buyer's counter (flash_sale_buyers) = units in their live orders", counterDrift == 0, $"{counterDrift} drifted");
    }
}
