namespace CommunityFunnel.Faults;

/// <summary>A group with its members, and a flash sale (100 units, 2 a member) for every second of the rush.</summary>
internal sealed record RushSetup(Guid Group, IReadOnlyList<Guid> Members, IReadOnlyList<Guid> Sales)
{
    public const int Stock = 100;
    public const int PerMemberLimit = 2;

    public static async Task<RushSetup> CreateAsync(FunnelApi api, string name, int members, TimeSpan rush, CancellationToken ct)
    {
        var group = await api.CreateGroupAsync(name, ct);
        var product = await api.CreateProductAsync($"{name} trial pack", ct);
        var memberIds = new Guid[members];
        await Parallel.ForAsync(0, members, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
            memberIds[i] = await api.AddMemberAsync(group, $"Buyer {i:D3}", $"+86139{i:D8}", token));
        var sales = new List<Guid>();
        for (var i = 0; i < (int)Math.Ceiling(rush / ClaimRush.Wave) + 1; i++)
        {
            sales.Add(await api.CreateFlashSaleAsync(group, product, Stock, PerMemberLimit, ct));
        }

        return new RushSetup(group, memberIds, sales);
    }
}
