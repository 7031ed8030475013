using System.Net;
using System.Net.Http.Json;

namespace CommunityFunnel.Faults;

/// <summary>The set-up calls, made through nginx with the bootstrap admin API key, as an integration would.</summary>
internal sealed class FunnelApi(HttpClient http)
{
    private sealed record Created(Guid Id);

    public async Task<Guid> CreateGroupAsync(string name, CancellationToken ct) =>
        await PostAsync("/api/v1/groups", new { name, timeZone = "Asia/Shanghai", currency = "CNY", platform = "WeCom" }, ct);

    public async Task<Guid> CreateProductAsync(string name, CancellationToken ct) =>
        await PostAsync("/api/v1/products", new { name, tier = "Low", price = 19.9m, kind = "Traffic", currency = "CNY" }, ct);

    public async Task<Guid> AddMemberAsync(Guid group, string name, string phone, CancellationToken ct) =>
        await PostAsync($"/api/v1/groups/{group}/members", new { displayName = name, phone }, ct, HttpStatusCode.Created, HttpStatusCode.OK);

    public async Task<Guid> CreateFlashSaleAsync(Guid group, Guid product, int stock, int perMemberLimit, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        return await PostAsync("/api/v1/flash-sales",
            new { groupId = group, productId = product, price = 9.9m, stock, perMemberLimit, startsAt = now.AddSeconds(-5), endsAt = now.AddHours(1), paymentMinutes = 30 }, ct);
    }

    public async Task AddWeComRobotAsync(Guid group, string key, CancellationToken ct) =>
        await PostAsync($"/api/v1/groups/{group}/channels", new { kind = "WeCom", key }, ct);

    public async Task<Guid> ScheduleAnnouncementAsync(IReadOnlyList<Guid> groups, string text, DateTimeOffset sendAt, CancellationToken ct) =>
        await PostAsync("/api/v1/announcements", new { groupIds = groups, text, sendAt }, ct);

    private async Task<Guid> PostAsync(string path, object body, CancellationToken ct, params HttpStatusCode[] expected)
    {
        expected = expected.Length == 0 ? [HttpStatusCode.Created] : expected;
        using var response = await http.PostAsJsonAsync(path, body, ct);
        if (!expected.Contains(response.StatusCode))
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }

        return (await response.Content.ReadFromJsonAsync<Created>(ct))!.Id;
    }
}
